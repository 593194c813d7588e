// The floater measure of `nerds eval` (issue 16, for Mip-NeRF 360's distortion loss, whose
// effect the paper shows as fewer floaters rather than PSNR): the share of a ray's weight that
// lies off the true surface,
//   share = sum_{i : |t_i - d| > tolerance * d} w_i / sum_i w_i,
// with d the true distance of the ray's first surface, t_i the samples' distances and w_i
// their weights (NeRF Eq. 3); 0 for a ray without weight. tolerance = 0.05: weight more than
// 5% of the depth in front of or behind the surface.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

constexpr float kOffSurfaceTolerance = 0.05f;

struct OffSurfaceWeight {
  float off = 0.f, total = 0.f;

  NERDS_HD void add(float t, float w, float surface, float tolerance = kOffSurfaceTolerance) {
    total += w;
    if (fabsf(t - surface) > tolerance * surface) off += w;
  }
  NERDS_HD float share() const { return total > 0.f ? off / total : 0.f; }
};

}  // namespace nerds
