// Ray / axis-aligned box intersection (slab method, Kay & Kajiya 1986).
#pragma once

#include <cmath>

#include "renderer/math/hd.h"
#include "renderer/math/scalar.h"
#include "renderer/math/vec3.h"

namespace nerds {

// Returns false when the ray misses; otherwise [*t0, *t1] is the overlap with t >= 0.
NERDS_HD bool ray_box(Vec3 o, Vec3 d, Vec3 box_min, Vec3 box_max, float* t0, float* t1) {
  float lo = 0.f, hi = 3.4e38f;
  for (int a = 0; a < 3; ++a) {
    const float inv = 1.f / d[a];
    float ta = (box_min[a] - o[a]) * inv;
    float tb = (box_max[a] - o[a]) * inv;
    if (ta > tb) { const float s = ta; ta = tb; tb = s; }
    lo = max_f(lo, ta);
    hi = min_f(hi, tb);
  }
  *t0 = lo;
  *t1 = hi;
  return lo < hi;
}

}  // namespace nerds
