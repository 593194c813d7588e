// Zip-NeRF's anti-aliased hash grid (Barron et al. 2023, Sec. 2; zip_multisample.h has the
// points and the weight): level l's feature of a sample is the mean over its K points of each
// point's trilinear feature (hash_grid.h) times the point's downweighting w_l,
//   f_l = (1/K) sum_k w_l(sigma_k) trilerp_l(x_k),  w_l = erf(1 / (sqrt(8) sigma_k n_l)),
// with n_l the level's cells per unit (HashGridLevel::scale), or w_l = 1 without downweighting.
// Linear in the table, so its backward scatters (1/K) w_l trilinear-weight * dL/df_l.
#pragma once

#include "renderer/math/hash_grid.h"
#include "renderer/math/hd.h"
#include "renderer/math/zip_multisample.h"

namespace nerds {

// Point k of a sample's K points (4 floats each) in one level: the 8 corners of its cell, and
// the factor w_l / K of its trilinear feature.
NERDS_HD float zip_point_corners(const HashGridLevel& level, const float* points, int k, int K, bool downweight,
                                 HashGridCorners* corners) {
  const float* p = points + 4 * k;
  hash_grid_corners(level, p, corners);
  const float w = downweight ? zip_level_weight(p[3], level.scale) : 1.f;
  return w / static_cast<float>(K);
}

// Forward for one level of one sample: its K points (4 floats each: x, y, z, sigma) to F
// values at out.
NERDS_HD void zip_hash_grid_encode_level(const HashGridView& grid, int l, const float* params, const float* points,
                                         int K, bool downweight, float* out) {
  const int F = grid.n_features;
  for (int f = 0; f < F; ++f) out[f] = 0.f;
  for (int k = 0; k < K; ++k) {
    HashGridCorners corners;
    const float factor = zip_point_corners(grid.levels[l], points, k, K, downweight, &corners);
    for (int c = 0; c < 8; ++c) {
      const float* e = params + static_cast<size_t>(corners.entry[c]) * F;
      for (int f = 0; f < F; ++f) out[f] += factor * corners.weight[c] * e[f];
    }
  }
}

// Backward for one level of one sample: dL/dparams += factor * trilinear weight * dL/df_l,
// d_level = the level's F gradients; accumulate as in hash_grid_backward_level.
template <class Accumulate>
NERDS_HD void zip_hash_grid_backward_level(const HashGridView& grid, int l, const float* points, int K,
                                           bool downweight, const float* d_level, float* d_params,
                                           Accumulate accumulate) {
  const int F = grid.n_features;
  for (int k = 0; k < K; ++k) {
    HashGridCorners corners;
    const float factor = zip_point_corners(grid.levels[l], points, k, K, downweight, &corners);
    for (int c = 0; c < 8; ++c) {
      float* e = d_params + static_cast<size_t>(corners.entry[c]) * F;
      for (int f = 0; f < F; ++f) accumulate(e + f, factor * corners.weight[c] * d_level[f]);
    }
  }
}

}  // namespace nerds
