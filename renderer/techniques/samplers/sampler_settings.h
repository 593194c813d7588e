// The sampler a run uses (sampler.kind, one of the kinds registered in sampler_kinds.cpp) and
// the hierarchical family's sample counts. Plain data: render_types.h and the CUDA backend
// include it.
#pragma once

#include <string>

namespace nerds {

// The name of occupancy-grid marching, the default kind (march_sampler.cpp registers it; the
// CUDA backend implements only it).
constexpr char kMarchSamplerKind[] = "march";

struct SamplerSettings {
  std::string kind = kMarchSamplerKind;  // a registered sampler kind (sampler_kinds.h)
  int coarse_samples = 64;               // N_c (NeRF: 64)
  int fine_samples = 128;                // N_f (NeRF: 128); 0: stratified sampling alone
};

}  // namespace nerds
