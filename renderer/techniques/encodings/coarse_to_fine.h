// BARF's coarse-to-fine schedule on the position encoding (Lin et al. 2021, Eq. 14; the formula
// is renderer/math/coarse_to_fine.h) as per-feature weights of the configured encoding kind:
// - the frequency kinds (frequency, ipe; NeRF's layout, positional_encoding.h): the raw
//   coordinates weigh 1, frequency k's sin and cos weigh w_k(alpha), alpha from 0 to L;
// - the grid kinds (hash, dense): the same idea on the levels, as grid-based followers of BARF
//   do: level 0 always on (it plays the raw coordinates' part), level l >= 1 weighs
//   w_{l-1}(alpha), alpha from 0 to L - 1, so that the finest level is on at `end`.
#pragma once

#include <vector>

#include "renderer/math/coarse_to_fine.h"
#include "renderer/techniques/core/params.h"
#include "renderer/techniques/fields/network_config.h"

namespace nerds {

// encoding.c2f (off by default), encoding.c2f_start, encoding.c2f_end.
void declare_coarse_to_fine(ParamSet& params);
// Throws InputError naming encoding.c2f_end unless start < end.
CoarseToFineSettings read_coarse_to_fine(const ParamSet& params);
// The encoding's per-feature weights at `progress` (the fraction of training done): empty when
// the schedule is off or over (every weight 1: the network runs exactly as without it).
std::vector<float> coarse_to_fine_feature_weights(const NetworkConfig& network, const CoarseToFineSettings& c2f,
                                                  float progress);

}  // namespace nerds
