// Ref-NeRF's per-sample formulas (Verbin et al. 2022; checked against the official code,
// google-research/multinerf internal/ref_utils.py, models.py, train_utils.py, image.py), with
// their backward passes:
//   normals       n = -grad(tau) / |grad(tau)| of the raw density tau (Eq. 3), here from central
//                 finite differences of tau (so every loss stays first-order), and the predicted
//                 normals n' = -g / |g| of a linear head g on the density features;
//   reflection    w_r = 2 (w_o . n') n' - w_o, w_o = -d the direction towards the camera (Eq. 4);
//   colour        c = linear_to_srgb(s * c_s + c_d) clipped to [0, 1], padded to [-0.001, 1.001]
//                 (Sec. 3, with the code's
//                 activations: c_d = sigmoid(raw - log 3), s = sigmoid(raw), c_s = sigmoid(MLP),
//                 roughness = softplus(raw - 1));
//   R_o = sum_i w_i max(0, n'_i . d)^2                       (on the predicted normals as
//                                                            blender_refnerf.gin's orientation_loss_target)
//   R_p = sum_i w_i (1 - n_i . n'_i)                         (as the code writes it: half
//                                                            of ||n - n'||^2 for unit vectors).
#pragma once

#include <cmath>

#include "renderer/math/hd.h"
#include "renderer/math/vec3.h"

namespace nerds {

// multinerf's l2_normalize floor on |x|^2 (float32 eps). The hash grid's features start near
// 1e-4, so the first predicted normals are shorter than unit and the reflection starts close to
// -w_o (a plain view-direction encoding); a smaller floor would send gradients of order 1/|g|
// into the density features and stall training (measured: no progress in 75 steps on glossy).
constexpr float kNormalizeFloor = 1.1920929e-7f;

// n = -g / |g| and its backward: dL/dg from dL/dn.
NERDS_HD Vec3 negative_normalized(Vec3 g) {
  const float len = sqrtf(fmaxf(dot(g, g), kNormalizeFloor));
  return g * (-1.f / len);
}
NERDS_HD Vec3 negative_normalized_backward(Vec3 g, Vec3 d_n) {
  const float g2 = dot(g, g);
  if (g2 < kNormalizeFloor) return d_n * (-1.f / sqrtf(kNormalizeFloor));  // below the floor: n = -g / const
  const float len = sqrtf(g2);
  const Vec3 u = g * (1.f / len);
  // n = -u, du/dg = (I - u u^T) / |g|.
  return (d_n - u * dot(u, d_n)) * (-1.f / len);
}

// Reflection of v about the unit normal n: 2 (n . v) n - v; backward into n only (the view
// direction is not trained).
NERDS_HD Vec3 reflect_about(Vec3 v, Vec3 n) { return n * (2.f * dot(n, v)) - v; }
NERDS_HD Vec3 reflect_about_backward_normal(Vec3 v, Vec3 n, Vec3 d_r) {
  return v * (2.f * dot(d_r, n)) + d_r * (2.f * dot(n, v));
}

// The density normal of central differences of the raw density tau at +-h along each axis
// (tau_plus[k], tau_minus[k]): n = -normalize(grad tau).
NERDS_HD Vec3 finite_difference_gradient(const float* tau_plus, const float* tau_minus, float h) {
  const float s = 0.5f / h;
  return make_vec3((tau_plus[0] - tau_minus[0]) * s, (tau_plus[1] - tau_minus[1]) * s,
                   (tau_plus[2] - tau_minus[2]) * s);
}

NERDS_HD float softplus(float x) { return x > 20.f ? x : log1pf(expf(x)); }
NERDS_HD float softplus_grad(float x) { return 1.f / (1.f + expf(-x)); }

// The sRGB curve of a linear value (multinerf image.linear_to_srgb, eps = float32 eps) and its
// derivative.
NERDS_HD float linear_to_srgb(float x) {
  return x <= 0.0031308f ? 323.f / 25.f * x : (211.f * powf(fmaxf(x, 1.1920929e-7f), 5.f / 12.f) - 11.f) / 200.f;
}
NERDS_HD float linear_to_srgb_grad(float x) {
  return x <= 0.0031308f ? 323.f / 25.f : 211.f / 200.f * (5.f / 12.f) * powf(fmaxf(x, 1.1920929e-7f), -7.f / 12.f);
}

// The colour of a linear value: the sRGB curve clipped to [0, 1], then padded to [-p, 1 + p]
// (multinerf models.py MLP.rgb_padding = 0.001), so that a black or white target is reached at
// a finite linear value. Without the padding a pixel darker than the diffuse colour pushes the
// specular c_s's (and c_d's) pre-sigmoid value down for ever (Adam keeps its step size while
// the sigmoid's slope vanishes) and the specular part dies early in training.
constexpr float kRefRgbPadding = 1e-3f;
NERDS_HD float ref_nerf_tone_map(float x) {
  return fminf(fmaxf(linear_to_srgb(x), 0.f), 1.f) * (1.f + 2.f * kRefRgbPadding) - kRefRgbPadding;
}
// Its derivative where the clip passes it (linear values are never negative: sigmoids).
NERDS_HD float ref_nerf_tone_map_grad(float x) {
  return linear_to_srgb(x) < 1.f ? linear_to_srgb_grad(x) * (1.f + 2.f * kRefRgbPadding) : 0.f;
}

// One sample's R_o term max(0, n' . d)^2 and its gradient in n' (d: the ray's direction).
NERDS_HD float orientation_term(Vec3 n_pred, Vec3 d) {
  const float c = fmaxf(0.f, dot(n_pred, d));
  return c * c;
}
NERDS_HD Vec3 orientation_term_grad(Vec3 n_pred, Vec3 d) { return d * (2.f * fmaxf(0.f, dot(n_pred, d))); }

// One sample's R_p term 1 - n . n' (gradients: -n' in n, -n in n').
NERDS_HD float predicted_normal_term(Vec3 n, Vec3 n_pred) { return 1.f - dot(n, n_pred); }

// Angle between two unit vectors in degrees (the mean angular error's term; multinerf
// compute_weighted_mae clips the cosine to +-(1 - eps)).
NERDS_HD float angle_degrees(Vec3 a, Vec3 b) {
  const float c = fminf(fmaxf(dot(a, b), -1.f + 1.1920929e-7f), 1.f - 1.1920929e-7f);
  return acosf(c) * 57.29577951308232f;
}

}  // namespace nerds
