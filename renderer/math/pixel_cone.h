// Mip-NeRF's cone through a pixel (Barron et al. 2021, Sec. 3.1): its radius per unit distance
// along the ray is the pixel's width at unit depth (1/fx) times 2/sqrt(12), so that the cone's
// cross-section has the variance of the pixel's square footprint. A host-device form, for the
// training rays both backends draw and for renders (pixel_cone_radius in
// renderer/backend/sample_buffer.h calls it).
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

NERDS_HD float cone_radius_per_unit_distance(float fx) { return fx > 0.f ? 2.f / (sqrtf(12.f) * fx) : 0.f; }

}  // namespace nerds
