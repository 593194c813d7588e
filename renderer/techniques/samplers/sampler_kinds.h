// The registry of sampler kinds (sampler.kind): every kind is listed once, in
// sampler_kinds.cpp, with how it adjusts the sampler settings, how it is built and what its
// probes check. The "sampler" module (sampler_module.cpp) builds its kind choice from this
// list, the backends and the trainer build their sampler through it, and the registry tests
// place samples with every kind.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "renderer/techniques/core/module_probe.h"
#include "renderer/techniques/samplers/ray_sampler.h"
#include "renderer/techniques/samplers/sampler_settings.h"
#include "renderer/train/train_config.h"

namespace nerds {

struct RaySamplerKind {
  const char* name;   // the value of sampler.kind, e.g. "march"
  const char* doc;    // one line: what it is
  const char* paper;  // paper, year, section/equation
  // Adjusts the settings read from sampler.* for this kind (kind, coarse_samples and
  // fine_samples are already set); null: nothing to adjust.
  void (*adjust)(SamplerSettings& settings);
  std::unique_ptr<RaySampler> (*make)(const SamplerSettings& settings);
  // The kind's per-item formulas as probes, for a configured run (module_probe.h).
  ModuleProbes (*probes)(const TrainConfig& config);
};

// Every kind, in the order sampler.kind lists them (the first is the default).
const std::vector<RaySamplerKind>& sampler_kinds();
// The kind called `name`; std::invalid_argument naming the known kinds when there is none.
const RaySamplerKind& sampler_kind(const std::string& name);

// The sampler settings.kind names, built for those settings.
std::unique_ptr<RaySampler> make_ray_sampler(const SamplerSettings& settings);

}  // namespace nerds
