#include "renderer/backend/render_rays.h"

#include <algorithm>
#include <memory>

#include "renderer/backend/parallel.h"
#include "renderer/backend/render_batch.h"
#include "renderer/math/compositing.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

void render_rays(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                 const Ray* rays, size_t n, RenderBuffers& out) {
  out.resize(n);
  const std::unique_ptr<RaySampler> sampler = make_ray_sampler(settings.sampler);
  // Chunks of up to 1024 rays, but at least ~8 per thread: a chunk's cost varies with what
  // its rays see, and the viewer renders bands of a few thousand rays, which 1024-ray
  // chunks would leave to one thread at the end.
  const size_t per_thread = n / (8 * static_cast<size_t>(cpu_thread_count()));
  const size_t kChunk = std::clamp<size_t>(per_thread, 128, 1024);
  const int64_t n_chunks = static_cast<int64_t>((n + kChunk - 1) / kChunk);
  parallel_for(n_chunks, [&](int64_t k) {
    // Each thread's buffers live from one render to the next: allocating (and first
    // touching) them afresh cost more than a small image's rays. The samplers bound them by
    // the samples they evaluate at once.
    thread_local RenderScratch scratch;
    const size_t first = static_cast<size_t>(k) * kChunk;
    const int count = static_cast<int>(std::min(kChunk, n - first));
    sampler->render(network, grid, settings, rays, first, count, out, scratch);
  });
}

std::vector<RaySample> inspect_ray(const NerfNetwork& network, const OccupancyView& grid,
                                   const RenderSettings& settings, const Ray& ray) {
  RenderScratch s;
  std::vector<SamplePass> pass;
  prepare_rays(settings, &ray, 0, 1, s);
  s.samples.clear();
  if (s.rays[0].hit) make_ray_sampler(settings.sampler)->place_inspected_samples(network, grid, settings, s, pass);
  const SampleBuffer& samples = s.samples;
  const int n = samples.size();
  std::vector<RaySample> out(n);
  if (n == 0) return out;
  std::vector<float> sigma(n), rgb(3 * static_cast<size_t>(n));
  evaluate_samples(network, settings.march.box_half, settings.warp, samples, s.mean, s.var, s.ws, sigma.data(), rgb.data());
  // The per-sample terms of the quadrature composite_forward sums (composite_step; no early
  // termination, so the inspector also shows what lies behind the surface).
  float T = 1.f;
  for (int i = 0; i < n; ++i) {
    RaySample& rs = out[i];
    rs.t = samples.t[i];
    rs.dt = samples.dt[i];
    rs.sigma = sigma[i];
    const SampleWeight w = composite_step(sigma[i], samples.dt[i], &T);
    rs.alpha = w.alpha;
    rs.transmittance = w.transmittance;
    rs.weight = w.weight;
    for (int k = 0; k < 3; ++k) rs.rgb[k] = rgb[3 * i + k];
    rs.pass = pass[i];
  }
  return out;
}

}  // namespace nerds
