// The se(3) exponential and its derivative, for BARF's per-camera pose corrections (Lin et al.
// 2021, Sec. 4: each training camera's pose is refined by a 6-vector xi = (w, u) in se(3); the
// official code's camera.py, Lie.se3_to_SE3, orders it rotation first). With theta = |w| and
// W = [w]_x (the cross-product matrix),
//   R = I + A W + B W^2,  t = V u,  V = I + B W + C W^2,
//   A = sin(theta)/theta,  B = (1 - cos(theta))/theta^2,  C = (theta - sin(theta))/theta^3
// (Rodrigues' formula and the left Jacobian of SO(3)). Near theta = 0 the coefficients and
// their derivatives come from their Taylor series (as the official code does for A, B, C).
//
// The correction acts in the camera's frame: the refined camera-to-world pose is
// P' = P exp(xi), so a camera ray (o, d) of P becomes o' = o + R_P t, d' = R_P R R_P^T d.
// (BARF composes exp(xi) on the left of the world-to-camera pose, which is P exp(-xi) here:
// the same set of corrections, with xi's sign flipped.)
#pragma once

#include <cmath>

#include "renderer/math/hd.h"
#include "renderer/math/vec3.h"

namespace nerds {

// A, B, C of theta^2 and (dA/dtheta)/theta, (dB/dtheta)/theta, (dC/dtheta)/theta, in double
// (so that the closed forms' cancellation stays far below float precision).
struct Se3Coefficients {
  double a, b, c, da, db, dc;
};

NERDS_HD Se3Coefficients se3_coefficients(double theta2) {
  Se3Coefficients k;
  if (theta2 < 1e-2) {  // theta < 0.1: series to theta^6 (the next terms are below 1e-13)
    const double t2 = theta2, t4 = t2 * t2, t6 = t4 * t2;
    k.a = 1.0 - t2 / 6.0 + t4 / 120.0 - t6 / 5040.0;
    k.b = 0.5 - t2 / 24.0 + t4 / 720.0 - t6 / 40320.0;
    k.c = 1.0 / 6.0 - t2 / 120.0 + t4 / 5040.0 - t6 / 362880.0;
    k.da = -1.0 / 3.0 + t2 / 30.0 - t4 / 840.0 + t6 / 45360.0;
    k.db = -1.0 / 12.0 + t2 / 180.0 - t4 / 6720.0 + t6 / 453600.0;
    k.dc = -1.0 / 60.0 + t2 / 1260.0 - t4 / 60480.0 + t6 / 4989600.0;
    return k;
  }
  const double t = sqrt(theta2), s = sin(t), c = cos(t);
  const double t3 = theta2 * t, t4 = theta2 * theta2, t5 = t4 * t;
  k.a = s / t;
  k.b = (1.0 - c) / theta2;
  k.c = (t - s) / t3;
  k.da = (t * c - s) / t3;
  k.db = (t * s - 2.0 * (1.0 - c)) / t4;
  k.dc = ((1.0 - c) * t - 3.0 * (t - s)) / t5;
  return k;
}

// W = [w]_x, row-major.
NERDS_HD void se3_skew(const double w[3], double W[3][3]) {
  W[0][0] = 0.0, W[0][1] = -w[2], W[0][2] = w[1];
  W[1][0] = w[2], W[1][1] = 0.0, W[1][2] = -w[0];
  W[2][0] = -w[1], W[2][1] = w[0], W[2][2] = 0.0;
}

NERDS_HD void se3_matmul(const double X[3][3], const double Y[3][3], double out[3][3]) {
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) out[i][j] = X[i][0] * Y[0][j] + X[i][1] * Y[1][j] + X[i][2] * Y[2][j];
}

// exp(xi) = [R | t] (row-major R).
// What the exponential and its backward read of xi: w, u, the coefficients, W and W^2.
struct Se3Terms {
  double w[3], u[3];
  Se3Coefficients k;
  double W[3][3], W2[3][3];
};

NERDS_HD Se3Terms se3_terms(const float xi[6]) {
  Se3Terms s;
  for (int a = 0; a < 3; ++a) {
    s.w[a] = xi[a];
    s.u[a] = xi[3 + a];
  }
  s.k = se3_coefficients(s.w[0] * s.w[0] + s.w[1] * s.w[1] + s.w[2] * s.w[2]);
  se3_skew(s.w, s.W);
  se3_matmul(s.W, s.W, s.W2);
  return s;
}

NERDS_HD void se3_exp(const float xi[6], float R[3][3], float t[3]) {
  const Se3Terms s = se3_terms(xi);
  const Se3Coefficients& k = s.k;
  const auto& W = s.W;
  const auto& W2 = s.W2;
  const double* u = s.u;
  for (int i = 0; i < 3; ++i) {
    double ti = 0.0;
    for (int j = 0; j < 3; ++j) {
      const double id = i == j ? 1.0 : 0.0;
      R[i][j] = static_cast<float>(id + k.a * W[i][j] + k.b * W2[i][j]);
      ti += (id + k.b * W[i][j] + k.c * W2[i][j]) * u[j];
    }
    t[i] = static_cast<float>(ti);
  }
}

// Backward of se3_exp: given dL/dR (row-major) and dL/dt, writes dL/dxi. With E_k = [e_k]_x,
//   dR/dw_k = A' w_k W + A E_k + B' w_k W^2 + B (E_k W + W E_k)   (A' = (dA/dtheta)/theta, ...)
//   dt/dw_k = (B' w_k W + B E_k + C' w_k W^2 + C (E_k W + W E_k)) u,   dt/du = V.
NERDS_HD void se3_exp_backward(const float xi[6], const float dR[3][3], const float dt[3], float d_xi[6]) {
  const Se3Terms s = se3_terms(xi);
  const Se3Coefficients& k = s.k;
  const auto& W = s.W;
  const auto& W2 = s.W2;
  const double* w = s.w;
  const double* u = s.u;
  for (int a = 0; a < 3; ++a) {
    double e[3] = {0.0, 0.0, 0.0};
    e[a] = 1.0;
    double E[3][3], EW[3][3], WE[3][3];
    se3_skew(e, E);
    se3_matmul(E, W, EW);
    se3_matmul(W, E, WE);
    double g = 0.0;
    for (int i = 0; i < 3; ++i) {
      double dti = 0.0;
      for (int j = 0; j < 3; ++j) {
        const double sym = EW[i][j] + WE[i][j];
        const double dRij = k.da * w[a] * W[i][j] + k.a * E[i][j] + k.db * w[a] * W2[i][j] + k.b * sym;
        g += dR[i][j] * dRij;
        dti += (k.db * w[a] * W[i][j] + k.b * E[i][j] + k.dc * w[a] * W2[i][j] + k.c * sym) * u[j];
      }
      g += dt[i] * dti;
    }
    d_xi[a] = static_cast<float>(g);
  }
  for (int j = 0; j < 3; ++j) {  // dL/du = V^T dL/dt
    double g = 0.0;
    for (int i = 0; i < 3; ++i) g += ((i == j ? 1.0 : 0.0) + k.b * W[i][j] + k.c * W2[i][j]) * dt[i];
    d_xi[3 + j] = static_cast<float>(g);
  }
}

// The correction exp(xi) of camera pose P as it moves that camera's world-frame rays:
// o' = o + shift, d' = turn d, with turn = R_P R R_P^T and shift = R_P t.
struct RayCorrection {
  float turn[3][3];
  Vec3 shift;
};

NERDS_HD RayCorrection ray_correction(const Pose& P, const float xi[6]) {
  float R[3][3], t[3];
  se3_exp(xi, R, t);
  RayCorrection c;
  float RPR[3][3];  // R_P R
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) RPR[i][j] = P.m[i][0] * R[0][j] + P.m[i][1] * R[1][j] + P.m[i][2] * R[2][j];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c.turn[i][j] = RPR[i][0] * P.m[j][0] + RPR[i][1] * P.m[j][1] + RPR[i][2] * P.m[j][2];
  c.shift = P.rotate(make_vec3(t[0], t[1], t[2]));
  return c;
}

NERDS_HD Vec3 correct_direction(const RayCorrection& c, Vec3 d) {
  return make_vec3(c.turn[0][0] * d.x + c.turn[0][1] * d.y + c.turn[0][2] * d.z,
                   c.turn[1][0] * d.x + c.turn[1][1] * d.y + c.turn[1][2] * d.z,
                   c.turn[2][0] * d.x + c.turn[2][1] * d.y + c.turn[2][2] * d.z);
}

// What one camera's rays send back, in the world frame: sum over its rays of g_d d^T (g_d =
// dL/dd' of the corrected direction, d the uncorrected one) and of g_o = dL/do'.
struct RayCorrectionGrad {
  double dir_outer[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  double origin[3] = {0, 0, 0};
};

NERDS_HD void accumulate_ray_correction_grad(Vec3 d, Vec3 g_d, Vec3 g_o, RayCorrectionGrad* acc) {
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) acc->dir_outer[i][j] += static_cast<double>(g_d[i]) * d[j];
    acc->origin[i] += g_o[i];
  }
}

// dL/dxi of camera pose P from its rays' sums: dL/dR = R_P^T (sum g_d d^T) R_P, dL/dt = R_P^T
// sum g_o (d' = R_P R R_P^T d and o' = o + R_P t), then se3_exp_backward.
NERDS_HD void ray_correction_backward(const Pose& P, const float xi[6], const RayCorrectionGrad& acc,
                                      float d_xi[6]) {
  double tmp[3][3];  // R_P^T (sum g_d d^T)
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      tmp[i][j] = P.m[0][i] * acc.dir_outer[0][j] + P.m[1][i] * acc.dir_outer[1][j] + P.m[2][i] * acc.dir_outer[2][j];
  float dR[3][3], dt[3];
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j)
      dR[i][j] = static_cast<float>(tmp[i][0] * P.m[0][j] + tmp[i][1] * P.m[1][j] + tmp[i][2] * P.m[2][j]);
    dt[i] = static_cast<float>(P.m[0][i] * acc.origin[0] + P.m[1][i] * acc.origin[1] + P.m[2][i] * acc.origin[2]);
  }
  se3_exp_backward(xi, dR, dt, d_xi);
}

// The refined camera-to-world pose P exp(xi).
NERDS_HD Pose refined_pose(const Pose& P, const float xi[6]) {
  float R[3][3], t[3];
  se3_exp(xi, R, t);
  Pose out;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) out.m[i][j] = P.m[i][0] * R[0][j] + P.m[i][1] * R[1][j] + P.m[i][2] * R[2][j];
    out.m[i][3] = P.m[i][0] * t[0] + P.m[i][1] * t[1] + P.m[i][2] * t[2] + P.m[i][3];
  }
  return out;
}

}  // namespace nerds
