#include "renderer/backend/render_rays.h"

#include <algorithm>
#include <cmath>

#include "renderer/backend/parallel.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/math/compositing.h"

namespace nerds {

namespace {

struct WaveScratch {
  NetworkWorkspace ws;
  SampleBuffer samples;
  std::vector<float> sigma, rgb, mean, var;
  std::vector<int> begin, count;
};

// The network on a buffer of samples: positions, or for Mip-NeRF's IPE the Gaussians of
// their conical frustums (Eq. 7-8).
void evaluate(const NerfNetwork& network, float box_half, const SampleBuffer& samples, std::vector<float>& mean,
              std::vector<float>& var, NetworkWorkspace& ws, float* sigma, float* rgb) {
  const int n = samples.size();
  if (!network.encoding_uses_footprint()) {
    network.forward(samples.pos.data(), samples.dir.data(), n, ws, sigma, rgb);
    return;
  }
  frustum_gaussians(samples, box_half, &mean, &var);
  network.forward(mean.data(), samples.dir.data(), n, ws, sigma, rgb, var.data());
}

struct RayState {
  float t = 0.f, t_end = 0.f;
  CompositeResult composite;
  bool alive = false;
};

void render_chunk(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& rs, const Ray* rays,
                  size_t first, int n, RenderBuffers& out, WaveScratch& s) {
  const MarchSettings& ms = rs.march;
  std::vector<RayState> state(n);
  for (int r = 0; r < n; ++r) {
    float t0, t1;
    if (march_bounds(ms, rays[first + r].origin, rays[first + r].dir, &t0, &t1)) {
      state[r].t = t0 + 0.5f * march_dt(ms, t0);
      state[r].t_end = t1;
      state[r].alive = true;
    }
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
      const Ray& ray = rays[first + r];
      const int budget = std::min(steps_per_wave, ms.max_samples - out.samples[first + r]);
      const int got = march_ray(ms, grid, ray.origin, ray.dir, &state[r].t, state[r].t_end, budget,
                                [&](float ts, float dts, Vec3 p) {
                                  s.samples.push(ts, dts, network_position(p, ms.box_half), ray.dir,
                                                 rs.pixel_radius);
                                });
      s.count[r] = got;
      if (got < budget) state[r].alive = false;  // left the box (or hit the sample cap)
    }
    const int total = s.samples.size();
    if (total == 0) break;
    s.sigma.resize(total);
    s.rgb.resize(3 * static_cast<size_t>(total));
    evaluate(network, ms.box_half, s.samples, s.mean, s.var, s.ws, s.sigma.data(), s.rgb.data());
    for (int r = 0; r < n; ++r) {
      if (s.count[r] == 0) continue;
      const int b = s.begin[r];
      composite_forward(s.sigma.data() + b, s.rgb.data() + 3 * b, s.samples.dt.data() + b, s.samples.t.data() + b, s.count[r],
                        rs.min_transmittance, &state[r].composite);
      out.samples[first + r] += s.count[r];
      if (state[r].composite.transmittance < rs.min_transmittance || out.samples[first + r] >= ms.max_samples)
        state[r].alive = false;
    }
    steps_per_wave = std::min(steps_per_wave * 2, 64);
  }
  for (int r = 0; r < n; ++r) {
    const CompositeResult& c = state[r].composite;
    const size_t i = first + r;
    for (int k = 0; k < 3; ++k) out.rgb[3 * i + k] = c.rgb[k] + c.transmittance * rs.background[k];
    out.opacity[i] = 1.f - c.transmittance;
    out.depth[i] = c.depth;
  }
}

}  // namespace

void render_rays(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                 const Ray* rays, size_t n, RenderBuffers& out) {
  out.resize(n);
  constexpr int kChunk = 1024;
  const int64_t n_chunks = static_cast<int64_t>((n + kChunk - 1) / kChunk);
  std::vector<WaveScratch> scratch(cpu_thread_count());
  parallel_for(n_chunks, [&](int64_t k) {
    const size_t first = static_cast<size_t>(k) * kChunk;
    const int count = static_cast<int>(std::min<size_t>(kChunk, n - first));
    render_chunk(network, grid, settings, rays, first, count, out, scratch[cpu_thread_index()]);
  });
}

std::vector<RaySample> inspect_ray(const NerfNetwork& network, const OccupancyView& grid,
                                   const RenderSettings& settings, const Ray& ray) {
  const MarchSettings& ms = settings.march;
  SampleBuffer samples;
  float t0, t1;
  if (!march_bounds(ms, ray.origin, ray.dir, &t0, &t1)) return {};
  float tt = t0 + 0.5f * march_dt(ms, t0);
  march_ray(ms, grid, ray.origin, ray.dir, &tt, t1, ms.max_samples, [&](float ts, float dts, Vec3 p) {
    samples.push(ts, dts, network_position(p, ms.box_half), ray.dir, settings.pixel_radius);
  });
  const std::vector<float>& t = samples.t;
  const std::vector<float>& dt = samples.dt;
  const int n = samples.size();
  std::vector<RaySample> out(n);
  if (n == 0) return out;
  NetworkWorkspace ws;
  std::vector<float> sigma(n), rgb(3 * static_cast<size_t>(n)), mean, var;
  evaluate(network, ms.box_half, samples, mean, var, ws, sigma.data(), rgb.data());
  // The per-sample terms of the quadrature composite_forward sums (no early termination,
  // so the inspector also shows what lies behind the surface).
  float T = 1.f;
  for (int i = 0; i < n; ++i) {
    RaySample& rs = out[i];
    rs.t = t[i];
    rs.dt = dt[i];
    rs.sigma = sigma[i];
    rs.alpha = sample_alpha(sigma[i], dt[i]);
    rs.transmittance = T;
    rs.weight = T * rs.alpha;
    for (int k = 0; k < 3; ++k) rs.rgb[k] = rgb[3 * i + k];
    T *= 1.f - rs.alpha;
  }
  return out;
}

}  // namespace nerds
