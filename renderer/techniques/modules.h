// The technique modules the engine knows, each defined in its own file.
#pragma once

#include <string>
#include <vector>

#include "renderer/error.h"
#include "renderer/techniques/method_files.h"
#include "renderer/techniques/technique_module.h"

namespace nerds {

TechniqueModule hash_grid_encoding_module();
TechniqueModule nerf_field_module();
TechniqueModule occupancy_sampler_module();
TechniqueModule hierarchical_sampler_module();
TechniqueModule ndc_warp_module();
TechniqueModule trainer_module();

// Every module, in the order their parameters are listed.
const std::vector<TechniqueModule>& technique_modules();
// The run's settings from the parameters; throws InputError for inconsistent values.
TrainConfig make_train_config(const ParamSet& params, const Dataset& data);

}  // namespace nerds
