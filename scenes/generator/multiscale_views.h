// The multiscale Blender protocol of Mip-NeRF (Barron et al. 2021): every view also at 1/2,
// 1/4 and 1/8 resolution, each a box filter of the full image, so one scene holds the same
// content at very different pixel footprints.
#pragma once

#include "scenes/generator/ray_tracer.h"

namespace nerds::scenes {

// `view` box-filtered by `factor` (the size floor-divided, the right/bottom rest dropped):
// colors averaged in linear light weighted by alpha, alpha averaged, depth averaged over the
// covered pixels, normals summed and renormalized.
RenderedView downscale_view(const RenderedView& view, int factor);

}  // namespace nerds::scenes
