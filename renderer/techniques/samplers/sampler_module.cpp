// Where the samples go along a ray (sampler.kind):
// - march: occupancy-grid ray marching (Müller et al. 2022, Instant-NGP, Sec. 5.4; the
//   "occupancy" and "march" parameters, occupancy_module.cpp);
// - hierarchical: NeRF's hierarchical volume sampling (Mildenhall et al. 2020, Sec. 5.2,
//   Eq. 2 and 5): N_c stratified coarse samples over the ray's span of the scene box, their
//   densities (forward only), the weights w_i = T_i alpha_i as a piecewise-constant PDF, N_f
//   fine samples drawn from it, and the sorted union evaluated, composited and trained
//   (renderer/math/hierarchical_sampling.h, renderer/techniques/samplers/hierarchical_sampler.cpp).
//   A documented simplification: NeRF trains a second, coarse network with its own loss
//   ||C_c - C||^2 on the coarse samples; we use the one network for both passes (Mip-NeRF's
//   single-network variant, Barron et al. 2021, Sec. 3.2), so the coarse pass costs a density
//   evaluation only and the coarse samples are trained as part of the union. The occupancy
//   grid is not read (NeRF has none). fine_samples = 0 is NeRF's "no hierarchical sampling"
//   ablation with N_c samples; stratified is the paper's form of it (Table 2, "no hierarchical":
//   as many stratified samples as the hierarchical sampler places, N_c + N_f, and no resampling).
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "renderer/math/hierarchical_sampling.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/core/modules.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  p.declare("sampler",
            {"kind",
             ParamType::Choice,
             "where samples go along a ray: march (occupancy-grid marching, Instant-NGP), hierarchical (NeRF: "
             "stratified coarse samples, then fine ones drawn from their weights) or stratified (NeRF's ablation: "
             "N_c + N_f stratified samples, no resampling)",
             0,
             0,
             {"march", "hierarchical", "stratified"}},
            std::string("march"));
  p.declare(
      "sampler",
      {"coarse_samples", ParamType::Int, "hierarchical: stratified coarse samples per ray N_c (NeRF: 64)", 2, 1024},
      int64_t{64});
  p.declare(
      "sampler",
      {"fine_samples", ParamType::Int,
       "hierarchical: samples per ray drawn from the coarse weights N_f (NeRF: 128; 0: stratified only)", 0, 1024},
      int64_t{128});
}

void configure(const ParamSet& p, const Dataset&, TrainConfig& c) {
  SamplerSettings& s = c.sampler;
  const std::string& kind = p.get_string("sampler.kind");
  s.kind = kind == "march" ? SamplerKind::March : SamplerKind::Hierarchical;
  s.coarse_samples = static_cast<int>(p.get_int("sampler.coarse_samples"));
  s.fine_samples = static_cast<int>(p.get_int("sampler.fine_samples"));
  if (kind == "stratified") {  // the same number of samples per ray, all of them stratified
    s.coarse_samples += s.fine_samples;
    s.fine_samples = 0;
  }
}

// sampler.kind = hierarchical, as a render places the samples (no jitter): a ray's span
// [t0, t1] and its N_c coarse weights -> its N_c + N_f sorted sample distances. Piecewise
// constant in the weights (the bin a sample falls into), so not differentiated.
class HierarchicalPlacementProbe : public ModuleProbe {
 public:
  HierarchicalPlacementProbe(int coarse, int fine) : nc_(coarse), nf_(fine) {}
  std::string name() const override {
    return "sampler (kind=hierarchical): [t0, t1] and N_c coarse weights -> the N_c + N_f sorted sample distances";
  }
  int input_dim() const override { return 2 + nc_; }
  int output_dim() const override { return nc_ + nf_; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 71);
    std::vector<float> in;
    for (int k = 0; k < n; ++k) {
      const float t0 = 0.05f + 0.5f * rng.next_float();
      in.push_back(t0);
      in.push_back(t0 + 0.5f + rng.next_float());
      // A surface-like bump of weight at a random place over a little noise.
      const float center = rng.next_float() * nc_, width = 1.f + 0.1f * nc_ * rng.next_float();
      for (int i = 0; i < nc_; ++i) {
        const float x = (i - center) / width;
        in.push_back(std::exp(-x * x) * 0.9f + 0.01f * rng.next_float());
      }
    }
    return in;
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

// sampler.kind = march: the marcher's step at distance t along a ray,
// dt = clamp(t cone_angle, dt_min, dt_max) (Instant-NGP, App. E.1), from the march.* settings.
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

ModuleProbes probes(const ParamSet& p, const Dataset& data) {
  TrainConfig c;
  occupancy_module().configure(p, data, c);  // the march.* settings
  configure(p, data, c);
  ModuleProbes out;
  if (c.sampler.kind == SamplerKind::Hierarchical) {
    out.push_back(std::make_unique<HierarchicalPlacementProbe>(c.sampler.coarse_samples, c.sampler.fine_samples));
  } else {
    out.push_back(std::make_unique<MarchStepProbe>(c.march));
  }
  return out;
}

}  // namespace

TechniqueModule sampler_module() {
  return {"sampler",
          "where samples go along a ray: occupancy-grid marching or NeRF's hierarchical sampling",
          "Mildenhall et al. 2020 (NeRF), Sec. 5.2, Eq. 2, 5; Müller et al. 2022 (Instant-NGP), Sec. 5.2",
          declare,
          configure,
          probes};
}

}  // namespace nerds
