// sampler.kind = march: occupancy-grid ray marching (Müller et al. 2022, Instant-NGP,
// Sec. 5.4 and App. E; the "occupancy" and "march" parameters, occupancy_module.cpp). Steps
// of dt(t) = clamp(t cone_angle, dt_min, dt_max) from the ray's entry into the box, skipping
// the cells the occupancy grid marks empty (renderer/math/ray_march.h). Training jitters the
// first step by the training ray's own jitter; a render marches in waves (a few samples per
// live ray, evaluated together, composited, terminated rays dropped), as instant-ngp renders,
// so samples behind opaque surfaces are never evaluated.
#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "renderer/backend/render_batch.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/samplers/march_training_waves.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

namespace {

struct RayState {
  float t = 0.f, t_end = 0.f;
  CompositeResult composite;
  bool alive_after_wave = true;  // false once the march left the box
};

// A render's waves: the first marches this many samples per live ray, each next one twice
// as many, up to kMaxWaveSteps, and no wave more than kMaxWaveSamples samples in all (the
// per-thread buffers are kept between renders). Small waves evaluate fewer samples behind
// the termination point: on a 700-step lego_100 model 20.4 per ray instead of 21.9 with 8, 64
// and 8192, and 4096 samples still keep the network's products efficient.
constexpr int kFirstWaveSteps = 4;
constexpr int kMaxWaveSteps = 16;
constexpr int kMaxWaveSamples = 4096;

struct MarchScratch : SamplerScratch {
  std::vector<RayState> state;
  std::vector<int> live;           // the rays still marching
  std::vector<float> pos, t, dt;   // the wave's samples (pos: network position, 3 each)
  std::vector<int> begin, count, used;  // per live ray: its samples in the wave, and those composited
  std::vector<float> dirs;         // the view direction of each colored sample
  std::vector<float> used_pos;     // their positions (Ref-NeRF's density normals for the reflection)
};

class MarchSampler : public RaySampler {
 public:
  bool reads_occupancy_grid() const override { return true; }

  int place_training_samples(const NerfNetwork&, const OccupancyView& grid, const MarchSettings& ms,
                             const RayBatch& b, const SamplerJitter&, NetworkWorkspace&,
                             std::unique_ptr<SamplerScratch>&, SampleBuffer& out, int* begin,
                             int* count) const override {
    for (int r = 0; r < b.n; ++r) {
      const SamplingRay& ray = b.rays[r];
      begin[r] = out.size();
      if (ray.hit) {
        float t = warped_march_start(ms, b.warp, ray, b.start_jitter[r]);
        march_warped_ray(ms, b.warp, grid, ray, &t, ray.t1, ms.max_samples, [&](float ts, float dts, Vec3 p) {
          out.push(ts, dts, network_position(p, ms.box_half), b.view_dirs[r], b.radii[r], ray.dir);
        });
      }
      count[r] = out.size() - begin[r];
    }
    return 0;
  }

  int place_evaluated_training_samples(const NerfNetwork& network, const OccupancyView& grid, const MarchSettings& ms,
                                       const RayBatch& b, const SamplerJitter&, float min_transmittance,
                                       NetworkWorkspace& ws, std::unique_ptr<SamplerScratch>& scratch, SampleBuffer& out,
                                       int* begin, int* count, std::vector<float>& sigma) const override {
    return march_training_waves(network, grid, ms, b, min_transmittance, ws, scratch, out, begin, count, sigma);
  }

  // Marching in waves: each live ray marches a few samples, the wave's densities are
  // evaluated together, each ray's samples up to its early termination get their color, and
  // the composite moves on; terminated rays leave the next wave. The color stage never sees a
  // sample behind the termination point, so the image is the same as compositing all of them.
  void render(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& rs, const Ray* rays,
              size_t first, int n, RenderBuffers& out, RenderScratch& s) const override {
    const MarchSettings& ms = rs.march;
    const bool footprint = network.encoding_uses_footprint();
    prepare_rays(rs, rays, first, n, s);
    MarchScratch& m = sampler_scratch<MarchScratch>(s.sampler);
    m.state.assign(n, RayState{});
    m.live.clear();
    for (int r = 0; r < n; ++r) {
      if (!s.rays[r].hit) continue;
      m.state[r].t = warped_march_start(ms, rs.warp, s.rays[r], 0.5f);
      m.state[r].t_end = s.rays[r].t1;
      m.live.push_back(r);
    }
    int steps_per_wave = kFirstWaveSteps;
    while (!m.live.empty()) {
      const int live = static_cast<int>(m.live.size());
      steps_per_wave = std::max(1, std::min(steps_per_wave, kMaxWaveSamples / live));
      const size_t capacity = static_cast<size_t>(live) * steps_per_wave;
      m.pos.resize(3 * capacity);
      m.t.resize(capacity);
      m.dt.resize(capacity);
      m.begin.resize(live);
      m.count.resize(live);
      m.used.resize(live);
      s.samples.clear();
      int total = 0;
      for (int j = 0; j < live; ++j) {
        const int r = m.live[j];
        const SamplingRay& ray = s.rays[r];
        const int budget = std::min(steps_per_wave, ms.max_samples - out.samples[first + r]);
        m.begin[j] = total;
        const int got = march_warped_ray(ms, rs.warp, grid, ray, &m.state[r].t, m.state[r].t_end, budget,
                                         [&](float ts, float dts, Vec3 p) {
                                           const Vec3 q = network_position(p, ms.box_half);
                                           float* o = m.pos.data() + 3 * static_cast<size_t>(total);
                                           o[0] = q.x;
                                           o[1] = q.y;
                                           o[2] = q.z;
                                           m.t[total] = ts;
                                           m.dt[total] = dts;
                                           ++total;
                                           if (footprint)
                                             s.samples.push(ts, dts, q, s.view_dirs[r], s.radii[r], ray.dir);
                                         });
        m.count[j] = got;
        if (got < budget) m.state[r].alive_after_wave = false;  // left the box (or hit the sample cap)
      }
      if (total == 0) break;
      s.sigma.resize(total);
      if (footprint) {
        const float* pos =
            encoding_footprints(network.encoding_footprint_kind(), s.samples, ms.box_half, rs.warp, &s.mean, &s.var);
        network.infer_density(pos, s.var.data(), total, s.infer, s.sigma.data());
      } else {
        network.infer_density(m.pos.data(), nullptr, total, s.infer, s.sigma.data());
      }
      // The samples each ray's composite will use: those before its transmittance falls
      // below the threshold (a prefix of its wave).
      s.used_idx.clear();
      m.dirs.clear();
      for (int j = 0; j < live; ++j) {
        const int b = m.begin[j], r = m.live[j];
        const int used = composite_used_count(s.sigma.data() + b, m.dt.data() + b, m.count[j], rs.min_transmittance,
                                              m.state[r].composite.transmittance);
        const Vec3 d = s.view_dirs[r];
        for (int i = 0; i < used; ++i) {
          s.used_idx.push_back(b + i);
          m.dirs.insert(m.dirs.end(), {d.x, d.y, d.z});
        }
        m.used[j] = used;
      }
      const int colored = static_cast<int>(s.used_idx.size());
      s.rgb.resize(3 * static_cast<size_t>(colored));
      if (colored > 0 && network.reflects_density_normals()) {  // Ref-NeRF about the density normals
        m.used_pos.resize(3 * static_cast<size_t>(colored));
        for (int j = 0; j < colored; ++j)
          std::memcpy(m.used_pos.data() + 3 * static_cast<size_t>(j), m.pos.data() + 3 * static_cast<size_t>(s.used_idx[j]),
                      3 * sizeof(float));
        network.reflection_normals(m.used_pos.data(), colored, s.infer.ref);
      }
      if (colored > 0) network.infer_color(s.used_idx.data(), colored, m.dirs.data(), s.infer, s.rgb.data());
      int c = 0;  // the ray's first colored sample
      int still_live = 0;
      for (int j = 0; j < live; ++j) {
        const int b = m.begin[j], r = m.live[j];
        RayState& st = m.state[r];
        composite_forward(s.sigma.data() + b, s.rgb.data() + 3 * static_cast<size_t>(c), m.dt.data() + b,
                          m.t.data() + b, m.used[j], rs.min_transmittance, &st.composite);
        c += m.used[j];
        out.samples[first + r] += m.count[j];
        const bool alive = st.alive_after_wave && st.composite.transmittance >= rs.min_transmittance &&
                           out.samples[first + r] < ms.max_samples;
        if (alive) m.live[still_live++] = r;
      }
      m.live.resize(still_live);
      steps_per_wave = std::min(steps_per_wave * 2, kMaxWaveSteps);
    }
    for (int r = 0; r < n; ++r) write_pixel(rs, s.rays[r], rays[first + r], m.state[r].composite, first + r, out);
  }

  void place_inspected_samples(const NerfNetwork&, const OccupancyView& grid, const RenderSettings& rs,
                               RenderScratch& s, std::vector<SamplePass>& pass) const override {
    const MarchSettings& ms = rs.march;
    const SamplingRay& sray = s.rays[0];
    float t = warped_march_start(ms, rs.warp, sray, 0.5f);
    march_warped_ray(ms, rs.warp, grid, sray, &t, sray.t1, ms.max_samples, [&](float ts, float dts, Vec3 p) {
      s.samples.push(ts, dts, network_position(p, ms.box_half), s.view_dirs[0], s.radii[0], sray.dir);
    });
    pass.assign(s.samples.size(), SamplePass::March);
  }
};

// The marcher's step at distance t along a ray, dt = clamp(t cone_angle, dt_min, dt_max)
// (Instant-NGP, App. E.1), from the march.* settings.
class MarchStepProbe : public ModuleProbe {
 public:
  explicit MarchStepProbe(const MarchSettings& m) : m_(m) {}
  std::string name() const override { return "sampler (kind=march): distance t -> the marching step dt(t)"; }
  int input_dim() const override { return 1; }
  int output_dim() const override { return 1; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 72);
    std::vector<float> in(n);
    for (float& t : in) t = 4.f * m_.box_half * rng.next_float();
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    for (int k = 0; k < n; ++k) out[k] = march_dt(m_, in[k]);
  }

 private:
  MarchSettings m_;
};

std::unique_ptr<RaySampler> make(const SamplerSettings&) { return std::make_unique<MarchSampler>(); }

ModuleProbes probes(const TrainConfig& c) {
  ModuleProbes out;
  out.push_back(std::make_unique<MarchStepProbe>(c.march));
  return out;
}

}  // namespace

RaySamplerKind march_sampler_kind() {
  return {kMarchSamplerKind, "occupancy-grid marching, Instant-NGP",
          "Müller et al. 2022 (Instant-NGP), Sec. 5.4, App. E", nullptr, make, probes};
}

}  // namespace nerds
