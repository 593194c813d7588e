// sampler.kind = proposal: Mip-NeRF 360's proposal sampler (Barron et al. 2022, Sec. 3,
// Eq. 12-13; Sec. 5 for the sample counts). Per ray, stage k (of proposal_stages) holds
// intervals: the first stage stratified ones over the ray's [t0, t1], each next one resampled
// from the previous stage's histogram (proposal_sampling.h, the official code's
// sample_intervals). Stage k's density network (proposal_network.h, NetworkConfig::proposal)
// evaluates its intervals' midpoints, the weights w = T alpha on its intervals are its
// histogram, and the last histogram gives the final_samples intervals that the radiance field
// evaluates, composites and trains: so it sees only samples near surfaces. The proposal
// networks are trained by L_prop alone (proposal_loss.h), the radiance field's weights under
// stop-gradient, in the same step (RaySampler::placement_loss); the field gets no gradient
// from it. The occupancy grid is not read. With warp.kind = contract the intervals are placed
// in s-space (ray_spacing.h; L_prop's bound compares them there) and their points contracted.
// Where this departs from the paper: a small hash grid and a tiny MLP per stage (the
// grid-based followers' form: nerfacto, Zip-NeRF) instead of one 4 x 256 proposal MLP for both
// stages; per-sample jitter of the stratified uniforms (the code jitters a ray's samples
// together); NeRF's 1e-5 padding of the histograms (the code's resample_padding is 0; it only
// matters for an all-zero histogram); no annealing or dilation of the histograms (later
// additions of the official code, not in the paper).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "renderer/backend/render_batch.h"
#include "renderer/math/hierarchical_sampling.h"
#include "renderer/math/positional_encoding.h"
#include "renderer/math/proposal_loss.h"
#include "renderer/math/proposal_sampling.h"
#include "renderer/math/ray_spacing.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/fields/network_tensor_names.h"
#include "renderer/techniques/samplers/hierarchical_sampler.h"
#include "renderer/techniques/samplers/placed_samples_render.h"
#include "renderer/techniques/samplers/proposal_sampler_probes.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

namespace {

// One stage's samples of a batch: per hit ray its intervals' edges (n + 1) and weights (n),
// and every ray's midpoints as network positions, with the network's activations.
struct ProposalStage {
  std::vector<float> edges, t_edges, weights, sigma, pos;  // edges in s (ray_spacing.h), t_edges in t
  ProposalWorkspace ws;
};

// Per-thread buffers; after place_training_samples they hold what placement_loss reads.
struct ProposalScratch : SamplerScratch {
  std::vector<ProposalStage> stages;
  std::vector<float> final_edges, final_t_edges;  // per hit ray: final_samples + 1 (in s, in t)
  std::vector<int> hit;            // the batch's rays that hit the box, in order
  std::vector<float> jitter, u, centers, nerf_w, bound, d_w, d_sigma;
};

// The chunk's gradients of the proposal networks: per stage the MLP's, and the positions with
// dL/d(encoding) for the grids' scatter after all chunks.
struct ProposalGradients : SamplerGradients {
  struct Stage {
    std::vector<Eigen::MatrixXf> mlp;
    std::vector<float> pos, d_enc;
    int n = 0;
  };
  std::vector<Stage> stages;
};

class ProposalSampler : public RaySampler {
 public:
  explicit ProposalSampler(const SamplerSettings& settings) : settings_(settings) {}

  bool reads_occupancy_grid() const override { return false; }

  std::optional<SamplesPerRay> initial_samples_per_ray() const override {
    SamplesPerRay n;
    n.used = static_cast<float>(settings_.final_samples);
    n.marched = n.used + static_cast<float>(settings_.proposal_stages * settings_.proposal_samples);
    return n;
  }

  int place_training_samples(const NerfNetwork& network, const OccupancyView&, const MarchSettings& march,
                             const RayBatch& b, const SamplerJitter& jitter, NetworkWorkspace&,
                             std::unique_ptr<SamplerScratch>& scratch, SampleBuffer& out, int* begin,
                             int* count) const override {
    return place(network, b.warp, march.box_half, b.rays, b.view_dirs, b.radii, b.n, &jitter,
                 sampler_scratch<ProposalScratch>(scratch), out, begin, count);
  }

  double placement_loss(const NerfNetwork& network, const RayBatch&, const SampleBuffer&, const int* begin,
                        const int* count, const float* sigma, int rays_total, std::unique_ptr<SamplerScratch>& scratch,
                        std::unique_ptr<SamplerGradients>& grads_slot) const override {
    ProposalScratch& s = sampler_scratch<ProposalScratch>(scratch);
    if (!dynamic_cast<ProposalGradients*>(grads_slot.get())) grads_slot = std::make_unique<ProposalGradients>();
    ProposalGradients& g = static_cast<ProposalGradients&>(*grads_slot);
    const int S = settings_.proposal_stages, np = settings_.proposal_samples, nf = settings_.final_samples;
    const std::vector<ProposalNetwork>& nets = network.proposals();
    g.stages.resize(S);
    // Eq. 13 averaged over the final intervals and the rays, summed over the stages (the
    // official code's jnp.mean per stage, interlevel_loss_mult), times the weight.
    const float scale = settings_.proposal_loss_weight / (static_cast<float>(nf) * static_cast<float>(rays_total));
    const int n_hit = static_cast<int>(s.hit.size());
    s.nerf_w.resize(nf);
    s.bound.resize(nf);
    s.d_w.resize(np);
    s.d_sigma.assign(static_cast<size_t>(S) * n_hit * np, 0.f);
    double loss = 0.0;
    for (int h = 0; h < n_hit; ++h) {
      const int r = s.hit[h];
      if (count[r] != nf) continue;  // every ray that hits the box has its final samples
      // The bound compares intervals in s (Eq. 12-13 are in s-space), the weights come from
      // the intervals' lengths in t.
      const float* t = s.final_edges.data() + static_cast<size_t>(h) * (nf + 1);
      const float* t_len = s.final_t_edges.data() + static_cast<size_t>(h) * (nf + 1);
      // The field's weights on the final intervals, as the compositing has them (dt = the
      // intervals' lengths); a constant here: the stop-gradient.
      interval_weights(sigma + begin[r], t_len, nf, s.nerf_w.data());
      for (int k = 0; k < S; ++k) {
        const ProposalStage& st = s.stages[k];
        const size_t at = static_cast<size_t>(h) * np;
        const float* T = st.edges.data() + static_cast<size_t>(h) * (np + 1);
        const float ray_loss =
            proposal_loss(t, s.nerf_w.data(), nf, T, st.weights.data() + at, np, s.bound.data(), scale, s.d_w.data());
        loss += static_cast<double>(ray_loss) * scale;
        interval_weights_backward(st.sigma.data() + at, st.t_edges.data() + static_cast<size_t>(h) * (np + 1),
                                  s.d_w.data(), np,
                                  s.d_sigma.data() + static_cast<size_t>(k) * n_hit * np + at);
      }
    }
    // Each stage's network backward; the grids' scatter waits for the step's update.
    for (int k = 0; k < S; ++k) {
      ProposalStage& st = s.stages[k];
      ProposalGradients::Stage& gs = g.stages[k];
      const int n = n_hit * np, E = nets[k].encoding_dim();
      if (gs.mlp.empty()) gs.mlp = nets[k].zero_gradients();
      for (Eigen::MatrixXf& m : gs.mlp) m.setZero();
      gs.n = n;
      gs.pos.assign(st.pos.begin(), st.pos.begin() + 3 * static_cast<size_t>(n));
      gs.d_enc.clear();
      if (n == 0) continue;
      nets[k].backward(st.ws, n, s.d_sigma.data() + static_cast<size_t>(k) * n, gs.mlp);
      gs.d_enc.assign(st.ws.d_enc.begin(), st.ws.d_enc.begin() + static_cast<size_t>(E) * n);
    }
    return loss;
  }

  std::vector<GradientSlice> placement_gradient_slices(const NerfNetwork& network,
                                                       const std::vector<ParamTensor>& tensors) const override {
    std::vector<GradientSlice> out;
    const std::vector<ProposalNetwork>& nets = network.proposals();
    for (size_t k = 0; k < nets.size(); ++k) {
      const std::string prefix = proposal_tensor_prefix(static_cast<int>(k));
      const int grid = find_tensor(tensors, prefix + ".grid");
      const HashGridView& view = nets[k].grid().view();
      const size_t F = static_cast<size_t>(nets[k].grid().config().features);
      for (int l = 0; l < view.n_levels; ++l)
        out.push_back({grid, view.levels[l].offset * F, (static_cast<size_t>(view.levels[l].offset) + view.levels[l].table_size) * F});
      const size_t layers = nets[k].mlp().weights().size();
      for (size_t j = 0; j < layers; ++j) {
        const int t = find_tensor(tensors, mlp_layer_tensor_name((prefix + ".mlp").c_str(), static_cast<int>(j)));
        out.push_back({t, 0, tensors[t].size()});
      }
    }
    return out;
  }

  void placement_backward_slice(const NerfNetwork& network, int slice, const SamplerGradients* const* chunks,
                                int n_chunks, float* grad) const override {
    const std::vector<ProposalNetwork>& nets = network.proposals();
    for (size_t k = 0; k < nets.size(); ++k) {
      const int levels = nets[k].grid().view().n_levels;
      const int layers = static_cast<int>(nets[k].mlp().weights().size());
      if (slice >= levels + layers) {
        slice -= levels + layers;
        continue;
      }
      for (int c = 0; c < n_chunks; ++c) {
        const auto* g = dynamic_cast<const ProposalGradients*>(chunks[c]);
        if (!g || g->stages.size() <= k) continue;
        const ProposalGradients::Stage& gs = g->stages[k];
        if (slice < levels) {
          if (gs.n > 0)
            nets[k].grid().backward_level(slice, gs.pos.data(), gs.d_enc.data(), gs.n, nets[k].encoding_dim(), grad);
        } else if (!gs.mlp.empty()) {
          const Eigen::MatrixXf& m = gs.mlp[slice - levels];
          for (Eigen::Index i = 0; i < m.size(); ++i) grad[i] += m.data()[i];
        }
      }
      return;
    }
  }

  void render(const NerfNetwork& network, const OccupancyView&, const RenderSettings& rs, const Ray* rays,
              size_t first, int n, RenderBuffers& out, RenderScratch& s) const override {
    ProposalScratch& ps = sampler_scratch<ProposalScratch>(s.sampler);
    const float box_half = rs.march.box_half;
    render_placed_samples(network, rs, rays, first, n, settings_.final_samples, out, s,
                          [&](int nb, RenderScratch& r) {
                            place(network, rs.warp, box_half, r.rays.data(), r.view_dirs.data(), r.radii.data(), nb, nullptr,
                                  ps, r.samples, r.begin.data(), r.count.data());
                            return settings_.proposal_stages * settings_.proposal_samples;
                          });
  }

  void place_inspected_samples(const NerfNetwork& network, const OccupancyView&, const RenderSettings& rs,
                               RenderScratch& s, std::vector<SamplePass>& pass) const override {
    int begin = 0, count = 0;
    place(network, rs.warp, rs.march.box_half, s.rays.data(), s.view_dirs.data(), s.radii.data(), 1, nullptr,
          sampler_scratch<ProposalScratch>(s.sampler), s.samples, &begin, &count);
    pass.assign(static_cast<size_t>(s.samples.size()), SamplePass::Fine);  // resampled from the proposals
  }

 private:
  // Places the final samples of n rays into `out` (ray r's are [begin[r], begin[r] + count[r])),
  // keeping every stage's intervals, weights and activations in s for placement_loss. jitter
  // null: each stratum's center (rendering). Returns the proposal samples evaluated.
  int place(const NerfNetwork& network, const WarpSettings& warp, float box_half, const SamplingRay* rays, const Vec3* view_dirs,
            const float* radii, int n, const SamplerJitter* jitter, ProposalScratch& s, SampleBuffer& out, int* begin,
            int* count) const {
    const int S = settings_.proposal_stages, np = settings_.proposal_samples, nf = settings_.final_samples;
    const int per_ray_jitter = S * np + nf;
    const std::vector<ProposalNetwork>& nets = network.proposals();
    s.stages.resize(S);
    s.hit.clear();
    for (int r = 0; r < n; ++r)
      if (rays[r].hit) s.hit.push_back(r);
    const int n_hit = static_cast<int>(s.hit.size());
    s.jitter.resize(jitter ? static_cast<size_t>(n_hit) * per_ray_jitter : 0);
    if (jitter)
      for (int h = 0; h < n_hit; ++h)
        fill_jitter(*jitter, s.hit[h], per_ray_jitter, s.jitter.data() + static_cast<size_t>(h) * per_ray_jitter);
    s.u.resize(std::max(np, nf));
    s.centers.resize(std::max(np, nf));
    s.final_edges.resize(static_cast<size_t>(n_hit) * (nf + 1));
    s.final_t_edges.resize(s.final_edges.size());
    // Intervals are placed in s (ray_spacing.h: t itself, or for contracted rays piecewise
    // linear then disparity), evaluated at t; a contracted ray's points are contracted.
    const RaySpacing spacing = ray_spacing(warp);
    const bool contracted = warp.kind == WarpKind::Contract;
    auto box_point = [&](const SamplingRay& ray, float t) {
      const Vec3 p = ray.origin + ray.dir * t;
      return network_position(contracted ? contract_to_box(warp.contract, box_half, p) : p, box_half);
    };
    const float whole_ray = 1.f;  // the first stage resamples the ray's span, of weight 1
    for (int k = 0; k <= S; ++k) {
      // Stage k's intervals (k == S: the final ones) from stage k - 1's histogram.
      const int m = k < S ? np : nf;
      if (k < S) {
        ProposalStage& st = s.stages[k];
        st.edges.resize(static_cast<size_t>(n_hit) * (np + 1));
        st.t_edges.resize(st.edges.size());
        st.weights.resize(static_cast<size_t>(n_hit) * np);
        st.sigma.resize(static_cast<size_t>(n_hit) * np);
        st.pos.resize(3 * static_cast<size_t>(n_hit) * np);
      }
      for (int h = 0; h < n_hit; ++h) {
        const SamplingRay& ray = rays[s.hit[h]];
        const float* jit = jitter ? s.jitter.data() + static_cast<size_t>(h) * per_ray_jitter + k * np : nullptr;
        float* edges = k < S ? s.stages[k].edges.data() + static_cast<size_t>(h) * (np + 1)
                             : s.final_edges.data() + static_cast<size_t>(h) * (nf + 1);
        float* t_edges = k < S ? s.stages[k].t_edges.data() + static_cast<size_t>(h) * (np + 1)
                               : s.final_t_edges.data() + static_cast<size_t>(h) * (nf + 1);
        const float s0 = spacing_s(spacing, ray.t0), s1 = spacing_s(spacing, ray.t1);
        if (k == 0) {
          const float span[2] = {s0, s1};
          resample_intervals(span, &whole_ray, 1, 0.f, jit, m, s0, s1, s.u.data(), s.centers.data(), edges);
        } else {
          const ProposalStage& prev = s.stages[k - 1];
          resample_intervals(prev.edges.data() + static_cast<size_t>(h) * (np + 1),
                             prev.weights.data() + static_cast<size_t>(h) * np, np, kFinePdfPadding, jit, m, s0, s1,
                             s.u.data(), s.centers.data(), edges);
        }
        for (int j = 0; j <= m; ++j) t_edges[j] = spacing_t(spacing, edges[j]);
        if (k == S) continue;
        float* pos = s.stages[k].pos.data() + 3 * static_cast<size_t>(h) * np;
        for (int j = 0; j < np; ++j) {
          const Vec3 p = box_point(ray, spacing_t(spacing, interval_midpoint(edges, j)));
          pos[3 * j] = p.x;
          pos[3 * j + 1] = p.y;
          pos[3 * j + 2] = p.z;
        }
      }
      if (k == S) break;
      // Stage k's densities (all rays at once) and its histogram per ray.
      ProposalStage& st = s.stages[k];
      nets[k].density(st.pos.data(), n_hit * np, st.ws, st.sigma.data());
      for (int h = 0; h < n_hit; ++h)
        interval_weights(st.sigma.data() + static_cast<size_t>(h) * np, st.t_edges.data() + static_cast<size_t>(h) * (np + 1),
                         np, st.weights.data() + static_cast<size_t>(h) * np);
    }
    // The final samples, ray after ray.
    for (int r = 0, h = 0; r < n; ++r) {
      begin[r] = out.size();
      count[r] = 0;
      if (!rays[r].hit) continue;
      const float* edges = s.final_edges.data() + static_cast<size_t>(h) * (nf + 1);
      const float* t_edges = s.final_t_edges.data() + static_cast<size_t>(h++) * (nf + 1);
      for (int j = 0; j < nf; ++j) {
        const float t = spacing_t(spacing, interval_midpoint(edges, j));
        out.push(t, t_edges[j + 1] - t_edges[j], box_point(rays[r], t), view_dirs[r], radii[r], rays[r].dir);
      }
      count[r] = nf;
    }
    return n_hit * S * np;
  }

  SamplerSettings settings_;
};

std::unique_ptr<RaySampler> make_proposal_sampler(const SamplerSettings& settings) {
  return std::make_unique<ProposalSampler>(settings);
}

}  // namespace

RaySamplerKind proposal_sampler_kind() {
  return {kProposalSamplerKind,
          "Mip-NeRF 360: density networks' histograms, resampled stage by stage, place the final samples; trained "
          "by L_prop",
          "Barron et al. 2022 (Mip-NeRF 360), Sec. 3, Eq. 12-13", nullptr, make_proposal_sampler,
          proposal_sampler_probes};
}

}  // namespace nerds
