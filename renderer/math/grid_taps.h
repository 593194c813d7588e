// Linear interpolation on a regular grid whose n nodes span [0, 1] with the end nodes on the
// ends (PyTorch's grid_sample / interpolate with align_corners=True, as TensoRF reads and
// upsamples its factors): x in [0, 1] lies between nodes i and i + 1 at fraction w, and a
// factor's value there is (1 - w) f[i] + w f[i + 1]. Bilinear and trilinear reads are products
// of these per axis. Positions outside [0, 1] are clamped onto the grid's faces.
#pragma once

#include "renderer/math/hd.h"
#include "renderer/math/scalar.h"

namespace nerds {

struct GridTap {
  int i = 0;      // the lower node
  float w = 0.f;  // the upper node's weight
};

// n >= 2 nodes.
NERDS_HD GridTap grid_tap(float x, int n) {
  const float u = clamp_f(x, 0.f, 1.f) * static_cast<float>(n - 1);
  int i = static_cast<int>(u);
  if (i > n - 2) i = n - 2;
  return {i, u - static_cast<float>(i)};
}

}  // namespace nerds
