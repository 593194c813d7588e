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

// The same width in NDC (warp.kind = ndc, NeRF App. C) on the unit box that holds the NDC cube:
// a pixel of the reference camera (the first frame's intrinsics, ndc_reference.h) spans 2 / W
// of NDC x' and 2 / H of y' at every depth, and a frame of focal f_i spans f_ref / f_i of it;
// the median over the frames of the smaller of the two, times the box's half size 0.5. 0 where
// the box is larger than the unit cube (aabb_scale > 1, cone-traced) or there are no frames.
// The march steps along z', which the box keeps at that scale (it narrows x' and y' to hold the
// side cameras' views, NdcWarp::extent_x/y), so the step follows this width unchanged.
float ndc_pixel_footprint(const Dataset& data);

}  // namespace nerds
