// A sample's footprint carried through Mip-NeRF 360's contraction (contraction.h), so that
// the footprint encodings work on contracted rays (warp.kind = contract):
//  - Mip-NeRF's IPE reads the frustum's Gaussian (positional_encoding.h, conical_frustum):
//    Mip-NeRF 360 Eq. 9 maps it as (contract(mu), J Sigma J^T), J the Jacobian at the mean
//    (contract_gaussian_var gives the diagonal the IPE reads);
//  - Zip-NeRF's points (zip_multisample.h) are each contracted, and each point's isotropic
//    scale multiplied by the geometric mean of J's singular values, |det J|^(1/3), at that
//    point (Zip-NeRF Sec. 2, the official code's coord.track_isotropic).
// Samples on contracted rays carry their network position (the contracted point mapped onto
// [0, 1]^3), the engine distance t and the engine-frame direction; the engine-frame point is
// found again by inverting the contraction (uncontract).
#pragma once

#include <cmath>

#include "renderer/math/contraction.h"
#include "renderer/math/hd.h"
#include "renderer/math/positional_encoding.h"
#include "renderer/math/scalar.h"
#include "renderer/math/vec3.h"
#include "renderer/math/zip_multisample.h"

namespace nerds {

// The inverse of Eq. 10 on the radius-2 ball: ||y|| = 2 - 1/r beyond the unit ball, so
// r = 1 / (2 - ||y||) (capped at 1000, where contract_radial_stretch caps too) and x = y r / ||y||.
NERDS_HD Vec3 uncontract(ContractNorm n, Vec3 y) {
  const float rho = contraction_norm(n, y);
  if (rho <= 1.f) return y;
  const float r = 1.f / max_f(2.f - rho, 1e-3f);
  return y * (r / rho);
}

// The engine-frame point whose contracted position lies at network position q.
NERDS_HD Vec3 engine_point_of_network(const ContractWarp& w, Vec3 q) {
  return w.center + uncontract(w.norm, contracted_of_network_position(q)) * w.radius;
}

// |det J|^(1/3) for J = a I + c x g^T: det J = a^2 (a + c g.x) (the matrix determinant lemma);
// for L2 (2r - 1)^(2/3) / r^2, the official code's contract3_isoscale.
NERDS_HD float contract_isotropic_scale(const ContractJacobian& j) {
  const float det = j.a * j.a * (j.a + j.c * dot(j.g, j.x));
  return cbrtf(fabsf(det));
}

// Network lengths per contraction unit: the radius-2 ball fills [0, 1]^3 (contract_to_box).
constexpr float kContractedToNetwork = 0.25f;

// The IPE Gaussian of the frustum [t - dt/2, t + dt/2] (cone radius `cone_radius` per unit
// distance, unit engine-frame axis d) of the sample at network position q, in network
// coordinates: mean and covariance diagonal (Eq. 9).
NERDS_HD void contracted_frustum_gaussian(const ContractWarp& w, Vec3 q, float t, float dt, float cone_radius, Vec3 d,
                                          Vec3* mean, Vec3* var) {
  const FrustumGaussian g = conical_frustum(t - 0.5f * dt, t + 0.5f * dt, cone_radius);
  const Vec3 p = engine_point_of_network(w, q);
  const float inv_radius = 1.f / w.radius;
  const Vec3 x = (p + d * (g.t_mean - t) - w.center) * inv_radius;  // the mean, in contraction units
  const ContractJacobian j = contract_jacobian(w.norm, x);
  const float inv_r2 = inv_radius * inv_radius;
  const Vec3 v = contract_gaussian_var(j, d, g.t_var * inv_r2, g.r_var * inv_r2);
  *mean = make_vec3(0.5f, 0.5f, 0.5f) + contract(w.norm, x) * kContractedToNetwork;
  *var = v * (kContractedToNetwork * kContractedToNetwork);
}

// Zip-NeRF's K points of the same sample (zip_sample_offsets in engine units around the
// engine-frame point), each contracted, 4 floats each (network position, scale) into out.
NERDS_HD void contracted_zip_points(const ContractWarp& w, Vec3 q, float t, float dt, float cone_radius, Vec3 d, int K,
                                    float* out) {
  Vec3 offsets[6];
  float scales[6];
  zip_sample_offsets(t, dt, cone_radius, d, q, K, offsets, scales);
  const Vec3 p = engine_point_of_network(w, q);
  const float inv_radius = 1.f / w.radius;
  for (int k = 0; k < K; ++k) {
    const Vec3 x = (p + offsets[k] - w.center) * inv_radius;
    const float iso = contract_isotropic_scale(contract_jacobian(w.norm, x));
    zip_write_point(make_vec3(0.5f, 0.5f, 0.5f) + contract(w.norm, x) * kContractedToNetwork,
                    scales[k] * inv_radius * iso * kContractedToNetwork, out + 4 * k);
  }
}

}  // namespace nerds
