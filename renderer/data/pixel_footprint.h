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

// The footprint the automatic settings follow (march.steps = 0, encoding.max_resolution = 0),
// or 0 where they keep the paper's values: a box larger than the unit cube (aabb_scale > 1,
// cone-traced), NDC space (`ndc`: the footprint is not in the box's units there), no frames.
float auto_settings_footprint(const Dataset& data, bool ndc);

}  // namespace nerds
