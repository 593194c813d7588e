// The explicit grids' upsampling steps (TensoRF's upsamp_list, Plenoxels' upsamp_every), read
// from a comma-separated parameter as fractions of the run they refer to.
#pragma once

#include <string>
#include <vector>

namespace nerds {

// "2000,3000" of a `total`-step run -> {2000 / total, 3000 / total}; empty text: none.
// InputError naming `param` (and `total_param`, the run length's) on a word that is not a
// step in 1..total or on steps that do not increase.
std::vector<float> read_schedule_steps(const std::string& text, int total, const std::string& param,
                                       const std::string& total_param);

}  // namespace nerds
