// The proposal sampler's per-ray formulas as probes (module_probe.h) for the registry tests:
// L_prop (Eq. 13) as a function of the proposal weights, its gradient against finite
// differences; the interval weights w = T alpha as a function of the densities, whose
// backward carries L_prop's gradient to the proposal networks; and one resampling step.
#pragma once

#include "renderer/techniques/core/module_probe.h"
#include "renderer/train/train_config.h"

namespace nerds {

ModuleProbes proposal_sampler_probes(const TrainConfig& config);

}  // namespace nerds
