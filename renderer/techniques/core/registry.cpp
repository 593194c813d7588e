// The one list of technique modules. A new paper's module is added here and nowhere else.
#include "renderer/techniques/core/modules.h"

namespace nerds {

const std::vector<TechniqueModule>& technique_modules() {
  static const std::vector<TechniqueModule> modules = {
      encoding_module(),
      field_module(),
      occupancy_module(),
      sampler_module(),
      warp_module(),
      trainer_module(),
      distortion_loss_module(),
      appearance_module(),
      transient_module(),
      pose_refinement_module(),
  };
  return modules;
}

ParamSet default_method_params() {
  ParamSet params;
  for (const TechniqueModule& m : technique_modules()) m.declare(params);
  return params;
}

TrainConfig make_train_config(const ParamSet& params, const Dataset& data) {
  TrainConfig config;
  for (const TechniqueModule& m : technique_modules()) m.configure(params, data, config);
  return config;
}

}  // namespace nerds
