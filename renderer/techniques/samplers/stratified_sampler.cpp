// sampler.kind = stratified: NeRF's "no hierarchical sampling" ablation (Mildenhall et al.
// 2020, Table 2): as many stratified samples per ray as the hierarchical sampler places,
// N_c + N_f (Eq. 2), and no resampling. It is the hierarchical sampler with its fine pass off
// (hierarchical_sampler.cpp), so no density pass runs before the samples are placed.
#include "renderer/techniques/samplers/hierarchical_sampler.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

namespace {

// The same number of samples per ray, all of them stratified.
void adjust(SamplerSettings& s) {
  s.coarse_samples += s.fine_samples;
  s.fine_samples = 0;
}

}  // namespace

RaySamplerKind stratified_sampler_kind() {
  return {"stratified", "NeRF's ablation: N_c + N_f stratified samples, no resampling",
          "Mildenhall et al. 2020 (NeRF), Sec. 5.2, Eq. 2, Table 2", adjust, make_hierarchical_sampler,
          hierarchical_sampler_probes};
}

}  // namespace nerds
