// Images placed left to right as one RGB image: `nerds ablate`'s on | off | ground truth
// views and `nerds render --run-b`'s A | B frames.
#pragma once

#include <vector>

#include "renderer/data/image_io.h"

namespace nerds::cli {

// The parts must have the same height (and at least one part); an alpha channel is dropped.
Image8 side_by_side(const std::vector<Image8>& parts);

}  // namespace nerds::cli
