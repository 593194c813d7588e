// How large a training pixel is where the scene is: the width of one pixel's cone at the
// distance from its camera to the centre of the scene box, in the engine's units (the box is
// 0.5 +- aabb_scale / 2). Mip-NeRF's point (Barron et al. 2021, Sec. 1): what a pixel sees is a
// cone, not a ray, so detail along the ray much finer than this width never reaches an image;
// the marcher's default step follows it (occupancy_module.cpp, march.steps = 0).
#pragma once

#include "renderer/data/dataset.h"

namespace nerds {

// The median over the frames of |camera centre - box centre| / fx; 0 for no frames.
float median_pixel_footprint(const Dataset& data);

}  // namespace nerds
