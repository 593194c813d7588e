// The sampler a run uses (sampler.kind, one of the kinds registered in sampler_kinds.cpp) and
// the sample counts of the hierarchical family and of the proposal sampler. Plain data:
// render_types.h and the CUDA backend include it.
#pragma once

#include <string>

namespace nerds {

// The name of occupancy-grid marching, the default kind (march_sampler.cpp registers it; the
// CUDA backend implements only it).
constexpr char kMarchSamplerKind[] = "march";
// Mip-NeRF 360's proposal sampler (proposal_sampler.cpp): only this kind has proposal networks
// in the model (NetworkConfig::proposal).
constexpr char kProposalSamplerKind[] = "proposal";

struct SamplerSettings {
  std::string kind = kMarchSamplerKind;  // a registered sampler kind (sampler_kinds.h)
  int coarse_samples = 64;               // N_c (NeRF: 64)
  int fine_samples = 128;                // N_f (NeRF: 128); 0: stratified sampling alone
  // The proposal sampler (Mip-NeRF 360, Sec. 3 and 5: 64 + 64 proposal samples, 32 final
  // ones, L_prop's weight 1); its networks' shape is NetworkConfig::proposal.
  int proposal_stages = 2;
  int proposal_samples = 64;     // intervals per ray at each proposal stage
  int final_samples = 32;        // intervals per ray the radiance field evaluates
  float proposal_loss_weight = 1.f;
};

}  // namespace nerds
