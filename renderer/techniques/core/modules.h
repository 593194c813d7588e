// The technique modules the engine knows, each defined in its own file.
#pragma once

#include <string>
#include <vector>

#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"
#include "renderer/techniques/core/technique_module.h"

namespace nerds {

TechniqueModule encoding_module();
TechniqueModule field_module();
TechniqueModule occupancy_module();
TechniqueModule sampler_module();
TechniqueModule warp_module();
TechniqueModule trainer_module();
TechniqueModule distortion_loss_module();
TechniqueModule appearance_module();
TechniqueModule transient_module();
TechniqueModule pose_refinement_module();

// Every module, in the order their parameters are listed.
const std::vector<TechniqueModule>& technique_modules();
// The run's settings from the parameters; throws InputError for inconsistent values.
TrainConfig make_train_config(const ParamSet& params, const Dataset& data);

}  // namespace nerds
