// Zip-NeRF's anti-aliased grid inputs (Barron et al. 2023, Sec. 2; the official code's
// coord.hexify and grid_utils: camp_zipnerf/internal/coord.py, grid_utils.py):
//  - multisampling: a sample's conical frustum [t0, t1] (cone radius r per unit distance)
//    becomes 6 points on a spiral around the cone's axis, at distances
//      cz_k = t0 + d / (d^2 + 3 s^2) * (t1^2 + 2 s^2 + 3/sqrt(7) (2k/5 - 1) sqrt((d^2 - s^2)^2 + 4 s^4)),
//    k = 0..5, s = (t0 + t1)/2, d = (t1 - t0)/2 (Mip-NeRF's moments, so the points' mean and
//    spread match the frustum's), at angles theta = pi/3 (0, 2, 4, 3, 5, 1) (+ a rotation,
//    order reversed or not) and radius sqrt(1/2) r cz_k from the axis;
//  - downweighting: each point is an isotropic Gaussian of std sigma_k = 1/2 sqrt(1/2) r cz_k
//    (the code's unscented_scale_mult = 0.5), and level l's features are scaled by
//      w_l = erf(1 / (sqrt(8) sigma n_l)),
//    the share of the Gaussian inside one cell of the level (n_l cells per unit).
// We take the exact erf (the code's approx_erf is within 0.007 of it), and each sample's
// rotation and reversal from a hash of the sample itself (the code draws them at random in
// training and alternates them at render time): deterministic, so the backward and a render
// see the same points as the forward. Without multisampling the one point is the sample's own,
// sigma = 1/2 sqrt(1/2) r t.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "renderer/math/hd.h"
#include "renderer/math/vec3.h"

namespace nerds {

// The scale of the Gaussian per unit of sqrt(1/2) r t (the code's unscented_scale_mult).
constexpr float kZipScaleMult = 0.5f;

// Zip-NeRF's downweighting of a level with `cells_per_unit` cells per unit for a point of
// isotropic std `sigma` (same units): erf(1 / (sqrt(8) sigma n_l)); 1 for a point (sigma = 0).
NERDS_HD float zip_level_weight(float sigma, float cells_per_unit) {
  if (!(sigma > 0.f)) return 1.f;
  return erff(1.f / (2.8284271f * sigma * cells_per_unit));
}

// The distance along the ray of multisample k of the interval [t0, t1] (cz_k above).
NERDS_HD float zip_multisample_distance(float t0, float t1, int k) {
  const float s = 0.5f * (t0 + t1), d = 0.5f * (t1 - t0);
  const float denom = d * d + 3.f * s * s;
  if (!(denom > 0.f)) return s;
  const float spread = sqrtf((d * d - s * s) * (d * d - s * s) + 4.f * s * s * s * s);
  return t0 + d / denom * (t1 * t1 + 2.f * s * s + 1.1338934f * (0.4f * static_cast<float>(k) - 1.f) * spread);
}

// Two unit vectors perpendicular to the unit axis d and to each other.
NERDS_HD void zip_perpendicular_basis(Vec3 d, Vec3* p1, Vec3* p2) {
  const Vec3 a = fabsf(d.x) < 0.9f ? make_vec3(1.f, 0.f, 0.f) : make_vec3(0.f, 1.f, 0.f);
  *p1 = normalize(cross(d, a));
  *p2 = cross(d, *p1);
}

// A sample's pattern rotation in [0, 2 pi) and reversal, from its distance and position bits.
NERDS_HD void zip_pattern_of(float t, Vec3 pos, float* rotation, bool* reversed) {
  const float v[4] = {t, pos.x, pos.y, pos.z};
  uint32_t h = 2166136261u;
  for (int i = 0; i < 4; ++i) {
    uint32_t bits;
    memcpy(&bits, &v[i], sizeof bits);
    h = (h ^ bits) * 16777619u;
  }
  h ^= h >> 15;
  h *= 0x2c1b3c6dU;
  h ^= h >> 12;
  *reversed = (h & 1u) != 0u;
  *rotation = static_cast<float>(h >> 8) * (6.2831853f / 16777216.f);
}

// The Zip-NeRF points of one sample around its position, in the units of t (engine units):
// distance t, step dt (the interval [t - dt/2, t + dt/2]), cone radius r per unit distance,
// unit axis; `pattern_pos` (the sample's network position) seeds the pattern's rotation and
// reversal. K = 6 multisamples or K = 1 (the sample's own point): offsets[k] from the sample's
// position and scales[k], each point's isotropic std (kZipScaleMult sqrt(1/2) r cz_k).
NERDS_HD void zip_sample_offsets(float t, float dt, float r, Vec3 axis, Vec3 pattern_pos, int K, Vec3* offsets,
                                 float* scales) {
  if (K == 1) {
    offsets[0] = make_vec3(0.f, 0.f, 0.f);
    scales[0] = kZipScaleMult * 0.70710678f * r * t;
    return;
  }
  const int order[6] = {0, 2, 4, 3, 5, 1};
  float rotation;
  bool reversed;
  zip_pattern_of(t, pattern_pos, &rotation, &reversed);
  Vec3 p1, p2;
  zip_perpendicular_basis(axis, &p1, &p2);
  const float t0 = t - 0.5f * dt, t1 = t + 0.5f * dt;
  for (int k = 0; k < K; ++k) {
    const float cz = zip_multisample_distance(t0, t1, k);
    const float radius = 0.70710678f * r * cz;
    const float theta = 1.0471976f * static_cast<float>(order[reversed ? 5 - k : k]) + rotation;
    offsets[k] = axis * (cz - t) + p1 * (radius * cosf(theta)) + p2 * (radius * sinf(theta));
    scales[k] = kZipScaleMult * radius;
  }
}

// A point in network coordinates, clamped to [0, 1]^3, and its scale, into out (4 floats).
NERDS_HD void zip_write_point(Vec3 q, float sigma, float* out) {
  out[0] = fminf(fmaxf(q.x, 0.f), 1.f);
  out[1] = fminf(fmaxf(q.y, 0.f), 1.f);
  out[2] = fminf(fmaxf(q.z, 0.f), 1.f);
  out[3] = sigma;
}

// The Zip-NeRF points of one sample in the scene box (no warp): zip_sample_offsets around the
// sample's network position `pos`, where a box length times `to_network` is a network length;
// 4 floats each (x, y, z, sigma) into out.
NERDS_HD void zip_sample_points(float t, float dt, float r, Vec3 axis, Vec3 pos, float to_network, int K,
                                float* out) {
  Vec3 offsets[6];
  float scales[6];
  zip_sample_offsets(t, dt, r, axis, pos, K, offsets, scales);
  if (K == 1) {  // the sample's own point, unclamped
    out[0] = pos.x, out[1] = pos.y, out[2] = pos.z;
    out[3] = scales[0] * to_network;
    return;
  }
  for (int k = 0; k < K; ++k) zip_write_point(pos + offsets[k] * to_network, scales[k] * to_network, out + 4 * k);
}

}  // namespace nerds
