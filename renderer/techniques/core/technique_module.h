// A technique module: one paper idea with the parameters it declares and how they configure
// a training run. Every module is listed once in registry.cpp (no static-initializer magic);
// the registry feeds the method files, the CLI's --set, snapshots and the viewer panel.
#pragma once

#include <string>

#include "renderer/data/dataset.h"
#include "renderer/techniques/core/module_probe.h"
#include "renderer/techniques/core/params.h"
#include "renderer/train/train_config.h"

namespace nerds {

struct TechniqueModule {
  std::string name;      // the parameter module name ("encoding", "occupancy", ...)
  std::string summary;   // one line: what it is
  std::string paper;     // "Müller et al. 2022, Instant-NGP" (where the formula comes from)
  void (*declare)(ParamSet& params);
  // Reads this module's parameters into the run's settings; the dataset is there for
  // scene-dependent defaults (aabb_scale).
  void (*configure)(const ParamSet& params, const Dataset& data, TrainConfig& config);
  // The functions the module computes under `params` (see module_probe.h), for the registry
  // tests; null for a module that only sets options (the trainer's schedule).
  ModuleProbes (*probes)(const ParamSet& params, const Dataset& data) = nullptr;
};

}  // namespace nerds
