// sampler.kind = march: occupancy-grid ray marching (Müller et al. 2022, Instant-NGP,
// Sec. 5.4 and App. E; the "occupancy" and "march" parameters, occupancy_module.cpp). Steps
// of dt(t) = clamp(t cone_angle, dt_min, dt_max) from the ray's entry into the box, skipping
// the cells the occupancy grid marks empty (renderer/math/ray_march.h). Training jitters the
// first step by the training ray's own jitter; a render marches in waves (a few samples per
// live ray, evaluated together, composited, terminated rays dropped), as instant-ngp renders,
// so samples behind opaque surfaces are never evaluated.
#include <algorithm>
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
  bool alive = false;
};

struct MarchScratch : SamplerScratch {
  std::vector<RayState> state;
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
        float t = march_start(ms, ray.t0, b.start_jitter[r]);
        march_ray(ms, grid, ray.origin, ray.dir, &t, ray.t1, ms.max_samples, [&](float ts, float dts, Vec3 p) {
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

  // Marching in waves.
  void render(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& rs, const Ray* rays,
              size_t first, int n, RenderBuffers& out, RenderScratch& s) const override {
    const MarchSettings& ms = rs.march;
    prepare_rays(rs, rays, first, n, s);
    std::vector<RayState>& state = sampler_scratch<MarchScratch>(s.sampler).state;
    state.assign(n, RayState{});
    for (int r = 0; r < n; ++r) {
      if (!s.rays[r].hit) continue;
      state[r].t = march_start(ms, s.rays[r].t0, 0.5f);
      state[r].t_end = s.rays[r].t1;
      state[r].alive = true;
    }
    s.begin.resize(n);
    s.count.resize(n);
    int steps_per_wave = 8;
    for (;;) {
      s.samples.clear();
      for (int r = 0; r < n; ++r) {
        s.begin[r] = s.samples.size();
        s.count[r] = 0;
        if (!state[r].alive) continue;
        const SamplingRay& ray = s.rays[r];
        const int budget = std::min(steps_per_wave, ms.max_samples - out.samples[first + r]);
        const int got = march_ray(ms, grid, ray.origin, ray.dir, &state[r].t, state[r].t_end, budget,
                                  [&](float ts, float dts, Vec3 p) {
                                    s.samples.push(ts, dts, network_position(p, ms.box_half), s.view_dirs[r],
                                                   s.radii[r], ray.dir);
                                  });
        s.count[r] = got;
        if (got < budget) state[r].alive = false;  // left the box (or hit the sample cap)
      }
      const int total = s.samples.size();
      if (total == 0) break;
      s.sigma.resize(total);
      s.rgb.resize(3 * static_cast<size_t>(total));
      evaluate_samples(network, ms.box_half, s.samples, s.mean, s.var, s.ws, s.sigma.data(), s.rgb.data());
      for (int r = 0; r < n; ++r) {
        if (s.count[r] == 0) continue;
        const int b = s.begin[r];
        composite_forward(s.sigma.data() + b, s.rgb.data() + 3 * b, s.samples.dt.data() + b, s.samples.t.data() + b,
                          s.count[r], rs.min_transmittance, &state[r].composite);
        out.samples[first + r] += s.count[r];
        if (state[r].composite.transmittance < rs.min_transmittance || out.samples[first + r] >= ms.max_samples)
          state[r].alive = false;
      }
      steps_per_wave = std::min(steps_per_wave * 2, 64);
    }
    for (int r = 0; r < n; ++r) write_pixel(rs, s.rays[r], rays[first + r], state[r].composite, first + r, out);
  }

  void place_inspected_samples(const NerfNetwork&, const OccupancyView& grid, const RenderSettings& rs,
                               RenderScratch& s, std::vector<SamplePass>& pass) const override {
    const MarchSettings& ms = rs.march;
    const SamplingRay& sray = s.rays[0];
    float t = march_start(ms, sray.t0, 0.5f);
    march_ray(ms, grid, sray.origin, sray.dir, &t, sray.t1, ms.max_samples, [&](float ts, float dts, Vec3 p) {
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
