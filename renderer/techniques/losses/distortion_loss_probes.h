// The function the distortion-loss module computes, for the registry tests (module_probe.h).
#pragma once

#include "renderer/data/dataset.h"
#include "renderer/techniques/core/module_probe.h"
#include "renderer/techniques/core/params.h"

namespace nerds {

// With loss.distortion_weight > 0: L_dist times the weight of one ray's densities on fixed
// intervals (renderer/math/distortion_loss.h); with 0 (off) the same function at weight 1, so
// the loss is checked whatever the setting.
ModuleProbes distortion_loss_probes(const ParamSet& params, const Dataset& data);

}  // namespace nerds
