#include "renderer/techniques/samplers/hierarchical_sampler.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "renderer/backend/render_batch.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/samplers/placed_samples_render.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

namespace {

// Appends the samples at positions t[0..n) of ray r, with intervals from sample_interval_edges.
void push_ray_samples(const SamplingRay& ray, Vec3 view_dir, float radius, float box_half, const float* t, int n,
                      float* edges, SampleBuffer& out) {
  sample_interval_edges(t, n, ray.t0, ray.t1, edges);
  for (int i = 0; i < n; ++i)
    out.push(t[i], edges[i + 1] - edges[i], network_position(ray.origin + ray.dir * t[i], box_half), view_dir, radius,
             ray.dir);
}

}  // namespace

// A stream apart from the training ray's own (training_ray draws from (seed, step, ray)).
constexpr uint64_t kSamplerStreamSalt = 0x9e3779b97f4a7c15ULL;

void fill_jitter(const SamplerJitter& j, int ray, int count, float* out) {
  Pcg32 rng(j.seed ^ kSamplerStreamSalt,
            (static_cast<uint64_t>(static_cast<uint32_t>(j.step)) << 32) | static_cast<uint32_t>(j.first_ray + ray));
  for (int i = 0; i < count; ++i) out[i] = rng.next_float();
}

void sample_densities(const NerfNetwork& network, float box_half, const WarpSettings& warp, const SampleBuffer& samples, NetworkWorkspace& ws,
                      std::vector<float>& mean, std::vector<float>& var, float* sigma) {
  const int n = samples.size();
  if (n == 0) return;
  if (!network.encoding_uses_footprint()) {
    network.density(samples.pos.data(), n, ws, sigma);
    return;
  }
  const float* pos = encoding_footprints(network.encoding_footprint_kind(), samples, box_half, warp, &mean, &var);
  network.density(pos, n, ws, sigma, var.data());
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
  // Its rays are the box's (the sampler is refused with warp.kind=contract), whose footprints
  // need no warp.
  sample_densities(network, box_half, WarpSettings{}, s.coarse, ws, s.mean, s.var, s.sigma.data());

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

namespace {

// The RaySampler over place_hierarchical_samples. The samples per ray are fixed: N_c + N_f,
// and the coarse pass's N_c densities before them (none without a fine pass).
class HierarchicalSampler : public RaySampler {
 public:
  explicit HierarchicalSampler(const SamplerSettings& settings) : settings_(settings) {}

  bool reads_occupancy_grid() const override { return false; }  // NeRF has none

  std::optional<SamplesPerRay> initial_samples_per_ray() const override {
    // The batch's ray count follows these means (Trainer::step): start them at the sampler's
    // fixed counts (the union is evaluated whole, the coarse pass once more).
    SamplesPerRay n;
    n.used = static_cast<float>(settings_.coarse_samples + settings_.fine_samples);
    n.marched = n.used + (settings_.fine_samples > 0 ? settings_.coarse_samples : 0);
    return n;
  }

  int place_training_samples(const NerfNetwork& network, const OccupancyView&, const MarchSettings& march,
                             const RayBatch& b, const SamplerJitter& jitter, NetworkWorkspace& ws,
                             std::unique_ptr<SamplerScratch>& scratch, SampleBuffer& out, int* begin,
                             int* count) const override {
    return place_hierarchical_samples(network, settings_, march.box_half, b.rays, b.view_dirs, b.radii, b.n, &jitter,
                                      ws, sampler_scratch<HierarchicalScratch>(scratch), out, begin, count);
  }

  // A few rays at a time (their N_c + N_f samples each are evaluated together):
  // placed_samples_render.h.
  void render(const NerfNetwork& network, const OccupancyView&, const RenderSettings& rs, const Ray* rays,
              size_t first, int n, RenderBuffers& out, RenderScratch& s) const override {
    HierarchicalScratch& hs = sampler_scratch<HierarchicalScratch>(s.sampler);
    const float box_half = rs.march.box_half;
    render_placed_samples(network, rs, rays, first, n, settings_.coarse_samples + settings_.fine_samples, out, s,
                          [&](int nb, RenderScratch& rs_scratch) {
                            const int coarse = place_hierarchical_samples(
                                network, settings_, box_half, rs_scratch.rays.data(), rs_scratch.view_dirs.data(),
                                rs_scratch.radii.data(), nb, nullptr, rs_scratch.ws, hs, rs_scratch.samples,
                                rs_scratch.begin.data(), rs_scratch.count.data());
                            return coarse > 0 ? settings_.coarse_samples : 0;  // the coarse pass's densities
                          });
  }

  void place_inspected_samples(const NerfNetwork& network, const OccupancyView&, const RenderSettings& rs,
                               RenderScratch& s, std::vector<SamplePass>& pass) const override {
    int begin = 0, count = 0;
    std::vector<unsigned char> is_fine;
    place_hierarchical_samples(network, settings_, rs.march.box_half, s.rays.data(), s.view_dirs.data(),
                               s.radii.data(), 1, nullptr, s.ws, sampler_scratch<HierarchicalScratch>(s.sampler),
                               s.samples, &begin, &count, &is_fine);
    pass.resize(is_fine.size());
    for (size_t i = 0; i < is_fine.size(); ++i) pass[i] = is_fine[i] ? SamplePass::Fine : SamplePass::Coarse;
  }

 private:
  SamplerSettings settings_;
};

// As a render places the samples (no jitter): a ray's span [t0, t1] and its N_c coarse
// weights -> its N_c + N_f sorted sample distances. Piecewise constant in the weights (the
// bin a sample falls into), so not differentiated.
class HierarchicalPlacementProbe : public ModuleProbe {
 public:
  HierarchicalPlacementProbe(int coarse, int fine) : nc_(coarse), nf_(fine) {}
  std::string name() const override {
    return "sampler (kind=hierarchical): [t0, t1] and N_c coarse weights -> the N_c + N_f sorted sample distances";
  }
  int input_dim() const override { return 2 + nc_; }
  int output_dim() const override { return nc_ + nf_; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    return ray_span_and_weights_examples(n, nc_, seed);
  }
  void forward(const float* in, int n, float* out) const override {
    std::vector<float> scratch(2 * nc_ + 1 + 2 * nf_);
    for (int k = 0; k < n; ++k) {
      const float* x = in + static_cast<size_t>(k) * input_dim();
      hierarchical_sample_positions(x[0], x[1], x + 2, nc_, nf_, scratch.data(),
                                    out + static_cast<size_t>(k) * output_dim(), nullptr);
    }
  }

 private:
  int nc_, nf_;
};

}  // namespace

std::vector<float> ray_span_and_weights_examples(int n, int bins, uint64_t seed) {
  Pcg32 rng(seed, 71);
  std::vector<float> in;
  for (int k = 0; k < n; ++k) {
    const float t0 = 0.05f + 0.5f * rng.next_float();
    in.push_back(t0);
    in.push_back(t0 + 0.5f + rng.next_float());
    // A surface-like bump of weight at a random place over a little noise.
    const float center = rng.next_float() * bins, width = 1.f + 0.1f * bins * rng.next_float();
    for (int i = 0; i < bins; ++i) {
      const float x = (i - center) / width;
      in.push_back(std::exp(-x * x) * 0.9f + 0.01f * rng.next_float());
    }
  }
  return in;
}

std::unique_ptr<RaySampler> make_hierarchical_sampler(const SamplerSettings& settings) {
  return std::make_unique<HierarchicalSampler>(settings);
}

ModuleProbes hierarchical_sampler_probes(const TrainConfig& c) {
  ModuleProbes out;
  out.push_back(std::make_unique<HierarchicalPlacementProbe>(c.sampler.coarse_samples, c.sampler.fine_samples));
  return out;
}

RaySamplerKind hierarchical_sampler_kind() {
  return {"hierarchical", "NeRF: stratified coarse samples, then fine ones drawn from their weights",
          "Mildenhall et al. 2020 (NeRF), Sec. 5.2, Eq. 2, 5", nullptr, make_hierarchical_sampler,
          hierarchical_sampler_probes};
}

}  // namespace nerds
