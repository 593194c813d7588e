// BARF's coarse-to-fine schedule on the position encoding (Lin et al. 2021, Sec. 3.3, Eq. 14):
// frequency band k of the encoding is weighted by
//   w_k(alpha) = (1 - cos(clamp(alpha - k, 0, 1) pi)) / 2,
// alpha = L (progress - start) / (end - start) growing from 0 to L (the bands) between the
// fractions `start` and `end` of training (the official code's barf_c2f = [0.1, 0.5] for
// Blender and LLFF, README). Below alpha = k band k is off, above alpha = k + 1 fully on: the
// low bands fit the scene (and the poses) first, whose gradients are not scrambled by the high
// ones. The raw coordinates (NeRF's code prepends them) always pass.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

// encoding.c2f, c2f_start, c2f_end (renderer/techniques/encodings/coarse_to_fine.cpp).
struct CoarseToFineSettings {
  bool enabled = false;
  float start = 0.1f, end = 0.5f;  // fractions of training (BARF's barf_c2f = [0.1, 0.5])
};

NERDS_HD float coarse_to_fine_alpha(float progress, float start, float end, float bands) {
  return bands * (progress - start) / (end - start);
}

NERDS_HD float coarse_to_fine_weight(float alpha, int band) {
  const float x = fminf(fmaxf(alpha - static_cast<float>(band), 0.f), 1.f);
  return 0.5f * (1.f - cosf(x * 3.14159265358979f));
}

}  // namespace nerds
