// The sampler kinds, each in its own file beside this one. Adding a kind: write its file (the
// RaySampler class and its RaySamplerKind), then add one line below (and a paper card under
// papers/ for its ablation).
#include "renderer/techniques/samplers/sampler_kinds.h"

#include "renderer/techniques/core/kind_list.h"

namespace nerds {

// Defined in each kind's file.
RaySamplerKind march_sampler_kind();         // march_sampler.cpp
RaySamplerKind hierarchical_sampler_kind();  // hierarchical_sampler.cpp
RaySamplerKind stratified_sampler_kind();    // stratified_sampler.cpp
RaySamplerKind proposal_sampler_kind();      // proposal_sampler.cpp

const std::vector<RaySamplerKind>& sampler_kinds() {
  static const std::vector<RaySamplerKind> kinds = {
      march_sampler_kind(),
      hierarchical_sampler_kind(),
      stratified_sampler_kind(),
      proposal_sampler_kind(),
  };
  return kinds;
}

const RaySamplerKind& sampler_kind(const std::string& name) {
  return find_kind(sampler_kinds(), name, "sampler kind");
}

std::unique_ptr<RaySampler> make_ray_sampler(const SamplerSettings& settings) {
  return sampler_kind(settings.kind).make(settings);
}

}  // namespace nerds
