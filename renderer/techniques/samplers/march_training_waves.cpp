#include "renderer/techniques/samplers/march_training_waves.h"

#include <algorithm>

#include "renderer/math/compositing.h"
#include "renderer/math/ray_march.h"
#include "renderer/techniques/samplers/hierarchical_sampler.h"

namespace nerds {

namespace {

// Samples per live ray in wave w: few at first (most rays that hit something terminate within
// a few dozen samples of their first occupied cell), more for the rays that go on, so that
// a ray's evaluated samples past its termination stay few and the waves stay few.
int wave_budget(int w) { return std::min(16 << (w / 2), 128); }

struct MarchingRay {
  float t = 0.f, t_end = 0.f;
  float transmittance = 1.f;
  int marched = 0;
};

// One wave: its samples, their density stage, and per ray that took part, where its samples
// start in the wave and how many of them the ray uses.
struct Wave {
  SampleBuffer samples;
  NetworkWorkspace ws;
  std::vector<float> sigma;
  std::vector<int> ray, first, used;
};

struct WaveScratch : SamplerScratch {
  std::vector<MarchingRay> rays;
  std::vector<int> live, next_live, cursor;
  std::vector<char> march_ended;  // per live ray of the wave
  std::vector<Wave> waves;
  std::vector<float> mean, var;
};

}  // namespace

int march_training_waves(const NerfNetwork& network, const OccupancyView& grid, const MarchSettings& ms,
                         const RayBatch& b, float min_transmittance, NetworkWorkspace& ws,
                         std::unique_ptr<SamplerScratch>& scratch, SampleBuffer& out, int* begin, int* count,
                         std::vector<float>& sigma) {
  WaveScratch& s = sampler_scratch<WaveScratch>(scratch);
  s.rays.resize(b.n);
  s.live.clear();
  for (int r = 0; r < b.n; ++r) {
    count[r] = 0;
    const SamplingRay& ray = b.rays[r];
    if (!ray.hit) continue;
    s.rays[r] = MarchingRay{warped_march_start(ms, b.warp, ray, b.start_jitter[r]), ray.t1, 1.f, 0};
    s.live.push_back(r);
  }
  int evaluated = 0, n_waves = 0;
  for (; !s.live.empty(); ++n_waves) {
    if (n_waves == static_cast<int>(s.waves.size())) s.waves.emplace_back();
    Wave& wave = s.waves[n_waves];
    wave.samples.clear();
    wave.ray.assign(s.live.begin(), s.live.end());
    wave.first.resize(s.live.size());
    wave.used.resize(s.live.size());
    s.next_live.clear();
    s.march_ended.resize(s.live.size());
    for (size_t k = 0; k < s.live.size(); ++k) {
      const int r = s.live[k];
      MarchingRay& mr = s.rays[r];
      const SamplingRay& ray = b.rays[r];
      const int budget = std::min(wave_budget(n_waves), ms.max_samples - mr.marched);
      wave.first[k] = wave.samples.size();
      const int got =
          march_warped_ray(ms, b.warp, grid, ray, &mr.t, mr.t_end, budget, [&](float ts, float dts, Vec3 p) {
            wave.samples.push(ts, dts, network_position(p, ms.box_half), b.view_dirs[r], b.radii[r], ray.dir);
          });
      mr.marched += got;
      s.march_ended[k] = got < budget || mr.marched >= ms.max_samples;
    }
    const int n = wave.samples.size();
    evaluated += n;
    wave.sigma.resize(n);
    sample_densities(network, ms.box_half, b.warp, wave.samples, wave.ws, s.mean, s.var, wave.sigma.data());
    // The samples each ray uses, and its transmittance after them.
    for (size_t k = 0; k < s.live.size(); ++k) {
      const int r = s.live[k];
      MarchingRay& mr = s.rays[r];
      const int first = wave.first[k];
      const int marched = (k + 1 < s.live.size() ? wave.first[k + 1] : n) - first;
      const int used = composite_used_prefix(wave.sigma.data() + first, wave.samples.dt.data() + first, marched,
                                             min_transmittance, &mr.transmittance);
      wave.used[k] = used;
      count[r] += used;
      if (!s.march_ended[k] && mr.transmittance >= min_transmittance) s.next_live.push_back(r);
    }
    std::swap(s.live, s.next_live);
  }

  // The used samples ray after ray, their densities and density stage.
  int m = 0;
  for (int r = 0; r < b.n; ++r) {
    begin[r] = m;
    m += count[r];
  }
  out.clear();
  out.resize(m);
  sigma.resize(m);
  network.reserve(ws, m);
  s.cursor.assign(begin, begin + b.n);
  for (int w = 0; w < n_waves; ++w) {
    const Wave& wave = s.waves[w];
    for (size_t k = 0; k < wave.ray.size(); ++k) {
      const int used = wave.used[k];
      if (used == 0) continue;
      const int dst = s.cursor[wave.ray[k]], src = wave.first[k];
      out.copy_from(dst, wave.samples, src, used);
      std::copy_n(wave.sigma.begin() + src, used, sigma.begin() + dst);
      network.copy_density_stage(wave.ws, src, ws, dst, used);
      s.cursor[wave.ray[k]] += used;
    }
  }
  return evaluated;
}

}  // namespace nerds
