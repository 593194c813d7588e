// Mip-NeRF 360's scene contraction (Barron et al. 2022, Sec. 2, Eq. 10):
//   contract(x) = x                          if ||x|| <= 1
//               = (2 - 1/||x||) x / ||x||    otherwise,
// which keeps the unit ball (the foreground) as it is and squeezes all of space beyond it into
// the shell 1 < ||x|| < 2, the point at infinity onto the radius-2 sphere. The paper takes the
// L2 norm; grid-based followers (nerfstudio's nerfacto, MERF) take the L-infinity norm, whose
// balls are cubes and so fill a grid's box. Gaussians (Mip-NeRF's IPE) are carried through the
// linearisation of Eq. 9: (contract(mu), J Sigma J^T), J the Jacobian at mu.
//
// With r = ||x|| and g = grad r (x / r for L2; sign(x_k) e_k for L-infinity, k the largest
// |x_k|), beyond the unit ball contract(x) = (2/r - 1/r^2) x, so
//   J = a I + c x g^T,   a = (2r - 1) / r^2,   c = -2 (r - 1) / r^3
// (inside: a = 1, c = 0). Along x the derivative is 1/r^2 (L2: a + c r = 1/r^2): steps of
// equal length in contracted space are steps of equal disparity 1/r far away, which is how the
// marcher places samples there (contracted_march.h; Eq. 11's s-space with g(x) = 1/x).
#pragma once

#include <cmath>

#include "renderer/math/hd.h"
#include "renderer/math/scalar.h"
#include "renderer/math/vec3.h"

namespace nerds {

enum class ContractNorm : int { L2 = 0, Linf = 1 };

NERDS_HD float contraction_norm(ContractNorm n, Vec3 x) {
  if (n == ContractNorm::Linf) return max_f(abs_f(x.x), max_f(abs_f(x.y), abs_f(x.z)));
  return length(x);
}

// Eq. 10.
NERDS_HD Vec3 contract(ContractNorm n, Vec3 x) {
  const float r = contraction_norm(n, x);
  if (r <= 1.f) return x;
  return x * ((2.f - 1.f / r) / r);
}

// J = a I + c x g^T at x (see above).
struct ContractJacobian {
  float a = 1.f, c = 0.f;
  Vec3 x, g;
};

NERDS_HD ContractJacobian contract_jacobian(ContractNorm n, Vec3 x) {
  ContractJacobian j;
  j.x = x;
  const float r = contraction_norm(n, x);
  if (r <= 1.f) return j;
  const float ir = 1.f / r;
  j.a = (2.f * r - 1.f) * ir * ir;
  j.c = -2.f * (r - 1.f) * ir * ir * ir;
  if (n == ContractNorm::Linf) {
    const float ax = abs_f(x.x), ay = abs_f(x.y), az = abs_f(x.z);
    const int k = ax >= ay && ax >= az ? 0 : (ay >= az ? 1 : 2);
    j.g[k] = x[k] < 0.f ? -1.f : 1.f;
  } else {
    j.g = x * ir;
  }
  return j;
}

// J v: how far contract(x) moves when x moves by v.
NERDS_HD Vec3 contract_jvp(const ContractJacobian& j, Vec3 v) { return v * j.a + j.x * (j.c * dot(j.g, v)); }

// J^T v: the gradient with respect to x of v . contract(x).
NERDS_HD Vec3 contract_vjp(const ContractJacobian& j, Vec3 v) { return v * j.a + j.g * (j.c * dot(j.x, v)); }

// The diagonal of J Sigma J^T (Eq. 9) for Mip-NeRF's frustum covariance Sigma = t_var d d^T +
// r_var (I - d d^T) (Mip-NeRF Eq. 8, d unit): with J's row i, J_i = a e_i + c x_i g,
//   (J Sigma J^T)_ii = r_var |J_i|^2 + (t_var - r_var) (J_i . d)^2.
// Exact for the linearised covariance; the IPE then reads only its diagonal (Mip-NeRF Eq. 14
// drops the off-diagonal terms as well), so nothing further is approximated here.
NERDS_HD Vec3 contract_gaussian_var(const ContractJacobian& j, Vec3 d, float t_var, float r_var) {
  Vec3 out;
  const float gg = dot(j.g, j.g), gd = dot(j.g, d);
  for (int i = 0; i < 3; ++i) {
    const float cx = j.c * j.x[i];
    const float row2 = j.a * j.a + 2.f * j.a * cx * j.g[i] + cx * cx * gg;
    const float row_d = j.a * d[i] + cx * gd;
    out[i] = r_var * row2 + (t_var - r_var) * row_d * row_d;
  }
  return out;
}

// Contraction as the engine's space warp (warp.kind = contract): a point p of the engine's
// frame is taken to the contraction's frame x = (p - center) / radius (the unit ball holds the
// foreground), contracted, and the radius-2 ball (the cube [-2, 2]^3 for L-infinity) mapped
// onto the scene box 0.5 +- box_half, where the occupancy grid and the encoding work. Rays stay
// straight in the engine's frame: samples are placed and composited at engine distances t.
struct ContractWarp {
  ContractNorm norm = ContractNorm::L2;
  Vec3 center = make_vec3(0.5f, 0.5f, 0.5f);  // the scene box's center
  float radius = 0.5f;                        // the unit ball's radius, engine units
  float far = 500.f;                          // where rays end, engine units
};

NERDS_HD Vec3 contract_to_box(const ContractWarp& w, float box_half, Vec3 p) {
  const Vec3 y = contract(w.norm, (p - w.center) * (1.f / w.radius));
  return make_vec3(0.5f, 0.5f, 0.5f) + y * (0.5f * box_half);
}

// The engine distance along the unit direction d from p that moves the contracted point by
// `step` contraction units (step / |J d| radii): constant inside the unit ball, growing as
// r^2 far away (equal steps in disparity, Eq. 11 with g(x) = 1/x).
NERDS_HD float contract_step(const ContractWarp& w, Vec3 p, Vec3 d, float step) {
  const ContractJacobian j = contract_jacobian(w.norm, (p - w.center) * (1.f / w.radius));
  return step * w.radius / length(contract_jvp(j, d));
}

// How much longer a step is in the engine's frame than in contracted space along the radius
// at the contracted point y: 1 inside the unit ball, r^2 beyond it, r = 1 / (2 - ||y||) the
// uncontracted norm (contract's radial derivative is 1/r^2). For L2 it is the longest span of
// a step there (the tangential derivative (2r - 1)/r^2 is larger); for L-infinity steps across
// the radius may span up to sqrt(3) times more. Capped at r = 1000 (||y|| -> 2 is infinity).
NERDS_HD float contract_radial_stretch(ContractNorm n, Vec3 y) {
  const float rho = contraction_norm(n, y);
  if (rho <= 1.f) return 1.f;
  const float r = 1.f / max_f(2.f - rho, 1e-3f);
  return r * r;
}

// The contracted point y of a network position (network_position of contract_to_box's box
// point: the radius-2 ball fills [0, 1]^3 whatever the box's size).
NERDS_HD Vec3 contracted_of_network_position(Vec3 q) { return (q - make_vec3(0.5f, 0.5f, 0.5f)) * 4.f; }

}  // namespace nerds
