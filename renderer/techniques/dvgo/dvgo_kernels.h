// DVGO's formulas (Sun, Sun, Chen, CVPR 2022), host-device so that any backend reads them.
//   Eq. 2-3 (volume rendering): alpha = 1 - exp(-sigma delta).
//   Eq. 4 (the low-density start): sigma = softplus(raw + b), b = log(1 / (1 - alpha_init) - 1),
//     so that a zero raw density has alpha = alpha_init over one voxel (the code's act_shift).
//   Raw2Alpha (the code): alpha = 1 - (1 + exp(raw + b))^(-interval), interval the step in base
//     voxels; the same as Eq. 2 with sigma = softplus(raw + b) / base voxel size.
//   Sec. 4.1 (post-activation, Eq. 5): alpha(x) = alpha(softplus(interp(x, V) + b)), against
//     pre-activation interp(x, alpha(softplus(V + b))) and in-activation alpha(interp(x, softplus(V + b))).
// The encoding hands the field log(sigma) (field.density_activation = trunc_exp: sigma = exp of it),
// so that every placement of the activation reaches the renderer as the same sigma.
#pragma once

#include <cmath>

#include "renderer/math/grid_taps.h"
#include "renderer/math/hd.h"

namespace nerds {

// b of Eq. 4: softplus(b) = -log(1 - alpha_init).
NERDS_HD float dvgo_act_shift(float alpha_init) { return logf(alpha_init / (1.f - alpha_init)); }

NERDS_HD float dvgo_softplus(float x) { return x > 20.f ? x : log1pf(expf(x)); }
NERDS_HD float dvgo_sigmoid(float x) { return 1.f / (1.f + expf(-x)); }

// The inverse of softplus: x with softplus(x) = y > 0.
NERDS_HD float dvgo_softplus_inverse(float y) {
  if (y > 20.f) return y;
  if (y < 1e-30f) y = 1e-30f;
  return logf(expm1f(y));
}

// log(softplus(x)) without underflow (softplus(x) ~ exp(x) far below 0), and its derivative.
NERDS_HD float dvgo_log_softplus(float x) { return x < -15.f ? x : logf(dvgo_softplus(x)); }
NERDS_HD float dvgo_log_softplus_grad(float x) { return x < -15.f ? 1.f : dvgo_sigmoid(x) / dvgo_softplus(x); }

// Raw2Alpha: alpha = 1 - (1 + exp(x))^(-interval), and d alpha / dx = interval (1 - alpha) sigmoid(x).
NERDS_HD float dvgo_raw2alpha(float x, float interval) { return -expm1f(-interval * dvgo_softplus(x)); }
NERDS_HD float dvgo_raw2alpha_grad(float x, float interval) {
  return interval * expf(-interval * dvgo_softplus(x)) * dvgo_sigmoid(x);
}

// log sigma of an interpolated alpha over a step of delta: sigma = -log(1 - alpha) / delta; and
// its derivative in alpha. alpha is kept inside (0, 1).
NERDS_HD float dvgo_clamp_alpha(float a) { return a < 1e-30f ? 1e-30f : (a > 1.f - 1e-7f ? 1.f - 1e-7f : a); }
NERDS_HD float dvgo_log_sigma_of_alpha(float a, float delta) {
  a = dvgo_clamp_alpha(a);
  return logf(-log1pf(-a)) - logf(delta);
}
NERDS_HD float dvgo_log_sigma_of_alpha_grad(float a) {
  a = dvgo_clamp_alpha(a);
  return 1.f / ((1.f - a) * -log1pf(-a));
}

// The 8 corners of a trilinear read of a grid of nx x ny x nz nodes (x fastest) spanning
// [0, 1]^3 with its end nodes on the faces (align_corners, as DVGO's grid_sample): node
// indices and weights (Sec. 3, "interp").
struct TrilinearTaps {
  long long node[8];
  float w[8];
};

NERDS_HD TrilinearTaps trilinear_taps(float u, float v, float s, int nx, int ny, int nz) {
  const GridTap tx = grid_tap(u, nx), ty = grid_tap(v, ny), tz = grid_tap(s, nz);
  TrilinearTaps t;
  for (int c = 0; c < 8; ++c) {
    const int dx = c & 1, dy = (c >> 1) & 1, dz = (c >> 2) & 1;
    t.node[c] = (static_cast<long long>(tz.i + dz) * ny + (ty.i + dy)) * nx + (tx.i + dx);
    t.w[c] = (dx ? tx.w : 1.f - tx.w) * (dy ? ty.w : 1.f - ty.w) * (dz ? tz.w : 1.f - tz.w);
  }
  return t;
}

}  // namespace nerds
