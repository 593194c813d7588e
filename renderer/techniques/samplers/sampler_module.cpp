// Where the samples go along a ray (sampler.kind). The kinds, each in its own file with its
// paper and equations, are listed once in sampler_kinds.cpp:
// - march: occupancy-grid ray marching (Müller et al. 2022, Instant-NGP, Sec. 5.4, App. E; the
//   "occupancy" and "march" parameters, occupancy_module.cpp), march_sampler.cpp;
// - hierarchical: NeRF's hierarchical volume sampling (Mildenhall et al. 2020, Sec. 5.2,
//   Eq. 2 and 5): N_c stratified coarse samples over the ray's span of the scene box, their
//   densities (forward only), the weights w_i = T_i alpha_i as a piecewise-constant PDF, N_f
//   fine samples drawn from it, and the sorted union evaluated, composited and trained
//   (renderer/math/hierarchical_sampling.h, hierarchical_sampler.cpp).
//   A documented simplification: NeRF trains a second, coarse network with its own loss
//   ||C_c - C||^2 on the coarse samples; we use the one network for both passes (Mip-NeRF's
//   single-network variant, Barron et al. 2021, Sec. 3.2), so the coarse pass costs a density
//   evaluation only and the coarse samples are trained as part of the union. The occupancy
//   grid is not read (NeRF has none). fine_samples = 0 is NeRF's "no hierarchical sampling"
//   ablation with N_c samples;
// - stratified: the paper's form of that ablation (Table 2, "no hierarchical": as many
//   stratified samples as the hierarchical sampler places, N_c + N_f, and no resampling),
//   stratified_sampler.cpp;
// - proposal: Mip-NeRF 360's proposal sampler (Barron et al. 2022, Sec. 3, Eq. 12-13): small
//   density networks (in the model beside the field, NetworkConfig::proposal) whose
//   histograms are resampled stage by stage into the final samples, trained by L_prop,
//   proposal_sampler.cpp.
// This module declares sampler.kind with their names, the hierarchical family's sample counts
// and the proposal sampler's counts and network shape, and hands the run to the chosen kind.
#include <string>
#include <vector>

#include "renderer/techniques/core/kind_list.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  declare_kind_choice(p, "sampler", "where samples go along a ray:", sampler_kinds());
  p.declare(
      "sampler",
      {"coarse_samples", ParamType::Int, "hierarchical: stratified coarse samples per ray N_c (NeRF: 64)", 2, 1024},
      int64_t{64});
  p.declare(
      "sampler",
      {"fine_samples", ParamType::Int,
       "hierarchical: samples per ray drawn from the coarse weights N_f (NeRF: 128; 0: stratified only)", 0, 1024},
      int64_t{128});
  // The proposal sampler (Mip-NeRF 360, Sec. 3 and 5; proposal_sampler.cpp).
  p.declare("sampler",
            {"proposal_stages", ParamType::Int,
             "proposal: density networks, each resampling the previous one's histogram (Mip-NeRF 360: 2)", 1, 4},
            int64_t{2});
  p.declare("sampler",
            {"proposal_samples", ParamType::Int, "proposal: intervals per ray at each proposal stage (Mip-NeRF 360: 64)",
             2, 1024},
            int64_t{64});
  p.declare("sampler",
            {"final_samples", ParamType::Int,
             "proposal: intervals per ray the radiance field evaluates, resampled from the last proposal (Mip-NeRF "
             "360: 32)",
             2, 1024},
            int64_t{32});
  p.declare("sampler",
            {"proposal_loss_weight", ParamType::Float,
             "proposal: weight of L_prop (Eq. 13), which alone trains the proposal networks (Mip-NeRF 360: 1)", 0.0,
             100.0},
            1.0);
  p.declare("sampler",
            {"proposal_levels", ParamType::Int, "proposal: hash-grid levels of each proposal network (nerfacto: 5)", 1,
             16},
            int64_t{5});
  p.declare("sampler",
            {"proposal_log2_table_size", ParamType::Int,
             "proposal: log2 of each proposal network's hash table size per level", 10, 22},
            int64_t{16});
  p.declare("sampler",
            {"proposal_max_resolution", ParamType::Int,
             "proposal: the first proposal network's finest grid resolution, doubled at each next stage (nerfacto: "
             "128, 256)",
             16, 8192},
            int64_t{128});
  p.declare("sampler",
            {"proposal_hidden", ParamType::Int,
             "proposal: width of the one hidden layer of each proposal network's MLP (nerfacto: 16)", 4, 256},
            int64_t{16});
}

void configure(const ParamSet& p, const Dataset&, TrainConfig& c) {
  SamplerSettings& s = c.sampler;
  const RaySamplerKind& kind = sampler_kind(p.get_string("sampler.kind"));
  s.kind = kind.name;
  s.coarse_samples = static_cast<int>(p.get_int("sampler.coarse_samples"));
  s.fine_samples = static_cast<int>(p.get_int("sampler.fine_samples"));
  s.proposal_stages = static_cast<int>(p.get_int("sampler.proposal_stages"));
  s.proposal_samples = static_cast<int>(p.get_int("sampler.proposal_samples"));
  s.final_samples = static_cast<int>(p.get_int("sampler.final_samples"));
  s.proposal_loss_weight = static_cast<float>(p.get_float("sampler.proposal_loss_weight"));
  // The proposal networks are part of the model only where they place the samples.
  ProposalNetworkConfig& net = c.network.proposal;
  net = ProposalNetworkConfig();
  if (s.kind == kProposalSamplerKind) {
    net.count = s.proposal_stages;
    net.levels = static_cast<int>(p.get_int("sampler.proposal_levels"));
    net.log2_table_size = static_cast<int>(p.get_int("sampler.proposal_log2_table_size"));
    net.max_resolution = static_cast<float>(p.get_int("sampler.proposal_max_resolution"));
    net.hidden = static_cast<int>(p.get_int("sampler.proposal_hidden"));
  }
  if (kind.adjust) kind.adjust(s);
}

ModuleProbes probes(const ParamSet& p, const Dataset& data) {
  TrainConfig c;
  occupancy_module().configure(p, data, c);  // the march.* settings
  configure(p, data, c);
  return sampler_kind(c.sampler.kind).probes(c);
}

}  // namespace

TechniqueModule sampler_module() {
  return {"sampler", kind_summary("where samples go along a ray:", sampler_kinds()), kind_papers(sampler_kinds()),
          declare, configure, probes};
}

}  // namespace nerds
