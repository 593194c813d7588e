// The functions NeRF-W's modules add, for the registry tests (module_probe.h): the color MLP
// reading per-image appearance codes; the transient head; Eq. 10-13's loss on one ray.
#pragma once

#include "renderer/data/dataset.h"
#include "renderer/techniques/core/module_probe.h"
#include "renderer/techniques/core/params.h"

namespace nerds {

ModuleProbes appearance_probes(const ParamSet& params, const Dataset& data);
ModuleProbes transient_probes(const ParamSet& params, const Dataset& data);

}  // namespace nerds
