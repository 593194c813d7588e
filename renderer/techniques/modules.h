// The technique modules the engine knows, each defined in its own file.
#pragma once

#include <string>
#include <vector>

#include "renderer/error.h"
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
// A parameter set with every module's parameters at their defaults.
ParamSet default_method_params();
// scenes/methods/<name>.json, searched from the working directory and the executable's folder
// upwards; empty when not found.
std::string find_method_file(const std::string& name);
// A method's parameters: `method` is a method file path, a name in scenes/methods/, or empty
// (the defaults); then each "module.key=value" of `sets`. Throws InputError for a missing
// method or a bad value.
ParamSet method_params(const std::string& method, const std::vector<std::string>& sets, std::string* method_name);
// The run's settings from the parameters; throws InputError for inconsistent values.
TrainConfig make_train_config(const ParamSet& params, const Dataset& data);

}  // namespace nerds
