#include "renderer/backend/render_rays.h"

#include <algorithm>
#include <cmath>

#include "renderer/techniques/samplers/hierarchical_sampler.h"
#include "renderer/backend/parallel.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/math/compositing.h"

namespace nerds {

namespace {

struct WaveScratch {
  NetworkWorkspace ws;
  SampleBuffer samples;
  std::vector<float> sigma, rgb, mean, var;
  std::vector<int> begin, count, used_idx;
  std::vector<SamplingRay> rays;
  std::vector<Vec3> view_dirs;
  std::vector<float> radii;
  HierarchicalScratch hierarchical;
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

// The rays first..first+n as the samplers see them (sampling_ray.h).
void prepare_rays(const RenderSettings& rs, const Ray* rays, size_t first, int n, WaveScratch& s) {
  s.rays.resize(n);
  s.view_dirs.resize(n);
  s.radii.resize(n);
  const float radius = sampling_cone_radius(rs.warp, rs.pixel_radius);
  for (int r = 0; r < n; ++r) {
    s.rays[r] = sampling_ray(rs.warp, rs.march, rays[first + r].origin, rays[first + r].dir);
    s.view_dirs[r] = rays[first + r].dir;
    s.radii[r] = radius;
  }
}

void write_pixel(const RenderSettings& rs, const SamplingRay& sray, const Ray& ray, const CompositeResult& c,
                 size_t i, RenderBuffers& out) {
  const CompositePixel p = composite_pixel(c, rs.background);
  for (int k = 0; k < 3; ++k) out.rgb[3 * i + k] = p.rgb[k];
  out.opacity[i] = p.opacity;
  out.depth[i] = engine_depth(rs.warp, rs.march, sray, ray.origin, p.depth, p.opacity);
}

struct RayState {
  float t = 0.f, t_end = 0.f;
  CompositeResult composite;
  bool alive = false;
};

// Occupancy-grid marching in waves.
void render_chunk_marched(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& rs,
                          const Ray* rays, size_t first, int n, RenderBuffers& out, WaveScratch& s) {
  const MarchSettings& ms = rs.march;
  prepare_rays(rs, rays, first, n, s);
  std::vector<RayState> state(n);
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
    evaluate(network, ms.box_half, s.samples, s.mean, s.var, s.ws, s.sigma.data(), s.rgb.data());
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

// NeRF's hierarchical sampling, a few rays at a time (their N_c + N_f samples each are
// evaluated together): the density of every sample, then the color of those before early
// termination only, as the trainer does.
void render_chunk_hierarchical(const NerfNetwork& network, const RenderSettings& rs, const Ray* rays, size_t first,
                               int n, RenderBuffers& out, WaveScratch& s) {
  const MarchSettings& ms = rs.march;
  const int per_ray = rs.sampler.coarse_samples + rs.sampler.fine_samples;
  const int batch = std::max(1, 8192 / per_ray);  // about 8k samples per network call
  for (int b0 = 0; b0 < n; b0 += batch) {
    const int nb = std::min(batch, n - b0);
    prepare_rays(rs, rays, first + b0, nb, s);
    s.begin.resize(nb);
    s.count.resize(nb);
    s.samples.clear();
    const int coarse = place_hierarchical_samples(network, rs.sampler, ms.box_half, s.rays.data(), s.view_dirs.data(),
                                                  s.radii.data(), nb, nullptr, s.ws, s.hierarchical, s.samples,
                                                  s.begin.data(), s.count.data());
    const int total = s.samples.size();
    s.sigma.resize(total);
    sample_densities(network, ms.box_half, s.samples, s.ws, s.mean, s.var, s.sigma.data());
    s.used_idx.clear();
    for (int r = 0; r < nb; ++r) {
      const int used = composite_used_count(s.sigma.data() + s.begin[r], s.samples.dt.data() + s.begin[r], s.count[r],
                                            rs.min_transmittance);
      for (int i = 0; i < used; ++i) s.used_idx.push_back(s.begin[r] + i);
      // Evaluated: the union, and the coarse pass's density before it.
      out.samples[first + b0 + r] = s.count[r] + (s.count[r] > 0 && coarse > 0 ? rs.sampler.coarse_samples : 0);
      s.count[r] = used;
    }
    const int m = static_cast<int>(s.used_idx.size());
    network.compact_density_stage(s.ws, s.used_idx.data(), m);
    std::vector<float>& dir = s.samples.dir;
    for (int j = 0; j < m; ++j) {  // in place: used_idx[j] >= j
      const int i = s.used_idx[j];
      s.sigma[j] = s.sigma[i];
      s.samples.dt[j] = s.samples.dt[i];
      s.samples.t[j] = s.samples.t[i];
      for (int a = 0; a < 3; ++a) dir[3 * j + a] = dir[3 * static_cast<size_t>(i) + a];
    }
    s.rgb.resize(3 * static_cast<size_t>(m));
    if (m > 0) network.color(dir.data(), m, s.ws, s.rgb.data());
    int b = 0;
    for (int r = 0; r < nb; ++r) {
      CompositeResult c;
      composite_forward(s.sigma.data() + b, s.rgb.data() + 3 * b, s.samples.dt.data() + b, s.samples.t.data() + b,
                        s.count[r], rs.min_transmittance, &c);
      b += s.count[r];
      write_pixel(rs, s.rays[r], rays[first + b0 + r], c, first + b0 + r, out);
    }
  }
}

// The samples of one ray as the renderer places them, with the pass that placed each.
void place_ray_samples(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& rs,
                       const Ray& ray, WaveScratch& s, std::vector<unsigned char>& is_fine) {
  const MarchSettings& ms = rs.march;
  prepare_rays(rs, &ray, 0, 1, s);
  s.samples.clear();
  is_fine.clear();
  const SamplingRay& sray = s.rays[0];
  if (!sray.hit) return;
  if (rs.sampler.kind == SamplerKind::Hierarchical) {
    int begin = 0, count = 0;
    place_hierarchical_samples(network, rs.sampler, ms.box_half, s.rays.data(), s.view_dirs.data(), s.radii.data(), 1,
                               nullptr, s.ws, s.hierarchical, s.samples, &begin, &count, &is_fine);
    return;
  }
  float t = march_start(ms, sray.t0, 0.5f);
  march_ray(ms, grid, sray.origin, sray.dir, &t, sray.t1, ms.max_samples, [&](float ts, float dts, Vec3 p) {
    s.samples.push(ts, dts, network_position(p, ms.box_half), ray.dir, s.radii[0], sray.dir);
  });
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
    WaveScratch& s = scratch[cpu_thread_index()];
    if (settings.sampler.kind == SamplerKind::Hierarchical) {
      render_chunk_hierarchical(network, settings, rays, first, count, out, s);
    } else {
      render_chunk_marched(network, grid, settings, rays, first, count, out, s);
    }
  });
}

std::vector<RaySample> inspect_ray(const NerfNetwork& network, const OccupancyView& grid,
                                   const RenderSettings& settings, const Ray& ray) {
  WaveScratch s;
  std::vector<unsigned char> is_fine;
  place_ray_samples(network, grid, settings, ray, s, is_fine);
  const SampleBuffer& samples = s.samples;
  const int n = samples.size();
  std::vector<RaySample> out(n);
  if (n == 0) return out;
  std::vector<float> sigma(n), rgb(3 * static_cast<size_t>(n));
  evaluate(network, settings.march.box_half, samples, s.mean, s.var, s.ws, sigma.data(), rgb.data());
  const bool hierarchical = settings.sampler.kind == SamplerKind::Hierarchical;
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
    rs.pass = !hierarchical ? SamplePass::March : (is_fine[i] ? SamplePass::Fine : SamplePass::Coarse);
  }
  return out;
}

}  // namespace nerds
