#include "renderer/techniques/samplers/hierarchical_sampler.h"

#include "renderer/math/rng.h"

namespace nerds {

namespace {

// A stream apart from the training ray's own (training_ray draws from (seed, step, ray)).
constexpr uint64_t kSamplerStreamSalt = 0x9e3779b97f4a7c15ULL;

void fill_jitter(const SamplerJitter& j, int ray, int count, float* out) {
  Pcg32 rng(j.seed ^ kSamplerStreamSalt,
            (static_cast<uint64_t>(static_cast<uint32_t>(j.step)) << 32) | static_cast<uint32_t>(j.first_ray + ray));
  for (int i = 0; i < count; ++i) out[i] = rng.next_float();
}

// Appends the samples at positions t[0..n) of ray r, with intervals from sample_interval_edges.
void push_ray_samples(const SamplingRay& ray, Vec3 view_dir, float radius, float box_half, const float* t, int n,
                      float* edges, SampleBuffer& out) {
  sample_interval_edges(t, n, ray.t0, ray.t1, edges);
  for (int i = 0; i < n; ++i)
    out.push(t[i], edges[i + 1] - edges[i], network_position(ray.origin + ray.dir * t[i], box_half), view_dir, radius,
             ray.dir);
}

}  // namespace

void sample_densities(const NerfNetwork& network, float box_half, const SampleBuffer& samples, NetworkWorkspace& ws,
                      std::vector<float>& mean, std::vector<float>& var, float* sigma) {
  const int n = samples.size();
  if (n == 0) return;
  if (!network.encoding_uses_footprint()) {
    network.density(samples.pos.data(), n, ws, sigma);
    return;
  }
  frustum_gaussians(samples, box_half, &mean, &var);
  network.density(mean.data(), n, ws, sigma, var.data());
}

int place_hierarchical_samples(const NerfNetwork& network, const SamplerSettings& settings, float box_half,
                               const SamplingRay* rays, const Vec3* view_dirs, const float* radii, int n,
                               const SamplerJitter* jitter, NetworkWorkspace& ws, HierarchicalScratch& s,
                               SampleBuffer& out, int* begin, int* count, std::vector<unsigned char>* is_fine) {
  const int nc = settings.coarse_samples, nf = settings.fine_samples;
  s.edges.resize(nc + nf + 1);
  s.merged.resize(nc + nf);
  s.fine.resize(nf);
  s.u.resize(nf);
  s.weights.resize(nc);
  s.jitter.resize(static_cast<size_t>(n) * (nc + nf));
  s.is_fine.resize(nc + nf);

  // 1. The coarse samples of every ray (stratified, Eq. 2). With no fine pass they are the
  // ray's samples (NeRF's stratified sampling alone).
  SampleBuffer& coarse = nf > 0 ? s.coarse : out;
  const int out_before = out.size();
  if (nf > 0) s.coarse.clear();
  s.coarse_begin.resize(n);
  for (int r = 0; r < n; ++r) {
    s.coarse_begin[r] = coarse.size();
    if (!rays[r].hit) continue;
    float* jit = jitter ? s.jitter.data() + static_cast<size_t>(r) * (nc + nf) : nullptr;
    if (jit) fill_jitter(*jitter, r, nc + nf, jit);
    coarse_sample_positions(rays[r].t0, rays[r].t1, nc, jit, s.merged.data());
    push_ray_samples(rays[r], view_dirs[r], radii[r], box_half, s.merged.data(), nc, s.edges.data(), coarse);
  }
  if (nf == 0) {
    for (int r = 0; r < n; ++r) {
      begin[r] = s.coarse_begin[r];
      count[r] = rays[r].hit ? nc : 0;
    }
    if (is_fine) is_fine->insert(is_fine->end(), static_cast<size_t>(out.size() - out_before), 0);
    return 0;
  }

  // 2. Their densities (forward only: the union below is what is trained).
  const int n_coarse = s.coarse.size();
  s.sigma.resize(n_coarse);
  sample_densities(network, box_half, s.coarse, ws, s.mean, s.var, s.sigma.data());

  // 3. Per ray: the weights (Eq. 5) on the coarse intervals, the fine samples from their PDF,
  // and the sorted union.
  for (int r = 0; r < n; ++r) {
    begin[r] = out.size();
    count[r] = 0;
    if (!rays[r].hit) continue;
    const int b = s.coarse_begin[r];
    const float* t_coarse = s.coarse.t.data() + b;
    sample_interval_edges(t_coarse, nc, rays[r].t0, rays[r].t1, s.edges.data());
    interval_weights(s.sigma.data() + b, s.edges.data(), nc, s.weights.data());
    const float* jit = jitter ? s.jitter.data() + static_cast<size_t>(r) * (nc + nf) + nc : nullptr;
    fine_sample_positions(s.edges.data(), s.weights.data(), nc, nf, jit, s.u.data(), s.fine.data());
    merge_sorted(t_coarse, nc, s.fine.data(), nf, s.merged.data(), s.is_fine.data());
    push_ray_samples(rays[r], view_dirs[r], radii[r], box_half, s.merged.data(), nc + nf, s.edges.data(), out);
    if (is_fine) is_fine->insert(is_fine->end(), s.is_fine.begin(), s.is_fine.end());
    count[r] = nc + nf;
  }
  return n_coarse;
}

}  // namespace nerds
