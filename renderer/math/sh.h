// Real spherical harmonics up to degree 4 (16 coefficients) of a unit direction: the
// direction encoding of Instant-NGP (Müller et al. 2022, Sec. 5.4, "the view direction is
// encoded with the first 16 coefficients of the spherical harmonics basis"). Same basis and
// signs as tiny-cuda-nn's SphericalHarmonics encoding (Sloan, "Efficient Spherical Harmonic
// Evaluation", JCGT 2013).
#pragma once

#include "renderer/math/hd.h"

namespace nerds {

constexpr int kMaxShDegree = 4;
NERDS_HD constexpr int sh_coefficient_count(int degree) { return degree * degree; }

// Writes degree*degree coefficients (degree 1..4) of unit direction (x, y, z) to out.
NERDS_HD void sh_encode(float x, float y, float z, int degree, float* out) {
  const float xy = x * y, xz = x * z, yz = y * z, x2 = x * x, y2 = y * y, z2 = z * z;
  out[0] = 0.28209479177387814f;
  if (degree <= 1) return;
  out[1] = -0.48860251190291987f * y;
  out[2] = 0.48860251190291987f * z;
  out[3] = -0.48860251190291987f * x;
  if (degree <= 2) return;
  out[4] = 1.0925484305920792f * xy;
  out[5] = -1.0925484305920792f * yz;
  out[6] = 0.94617469575755997f * z2 - 0.31539156525251999f;
  out[7] = -1.0925484305920792f * xz;
  out[8] = 0.54627421529603959f * x2 - 0.54627421529603959f * y2;
  if (degree <= 3) return;
  out[9] = 0.59004358992664352f * y * (-3.0f * x2 + y2);
  out[10] = 2.8906114426405538f * xy * z;
  out[11] = 0.45704579946446572f * y * (1.0f - 5.0f * z2);
  out[12] = 0.3731763325901154f * z * (5.0f * z2 - 3.0f);
  out[13] = 0.45704579946446572f * x * (1.0f - 5.0f * z2);
  out[14] = 1.4453057213202769f * z * (x2 - y2);
  out[15] = 0.59004358992664352f * x * (-x2 + 3.0f * y2);
}

// Backward of sh_encode: accumulates dL/d(x,y,z) from dL/dout (degree*degree values).
// The direction encoding's input is not trained, but the gradient is what lets a later
// module (camera refinement, BARF) push gradients into ray directions.
NERDS_HD void sh_encode_backward(float x, float y, float z, int degree, const float* d_out,
                                 float* dx, float* dy, float* dz) {
  const float c1 = 0.48860251190291987f, c4 = 1.0925484305920792f, c6 = 0.94617469575755997f;
  const float c8 = 0.54627421529603959f, c9 = 0.59004358992664352f, c10 = 2.8906114426405538f;
  const float c11 = 0.45704579946446572f, c12 = 0.3731763325901154f, c14 = 1.4453057213202769f;
  float gx = 0.f, gy = 0.f, gz = 0.f;
  if (degree > 1) {
    gy += -c1 * d_out[1];
    gz += c1 * d_out[2];
    gx += -c1 * d_out[3];
  }
  if (degree > 2) {
    gx += c4 * y * d_out[4];
    gy += c4 * x * d_out[4];
    gy += -c4 * z * d_out[5];
    gz += -c4 * y * d_out[5];
    gz += 2.f * c6 * z * d_out[6];
    gx += -c4 * z * d_out[7];
    gz += -c4 * x * d_out[7];
    gx += 2.f * c8 * x * d_out[8];
    gy += -2.f * c8 * y * d_out[8];
  }
  if (degree > 3) {
    gx += -6.f * c9 * x * y * d_out[9];
    gy += c9 * (3.f * y * y - 3.f * x * x) * d_out[9];
    gx += c10 * y * z * d_out[10];
    gy += c10 * x * z * d_out[10];
    gz += c10 * x * y * d_out[10];
    gy += c11 * (1.f - 5.f * z * z) * d_out[11];
    gz += -10.f * c11 * y * z * d_out[11];
    gz += c12 * (15.f * z * z - 3.f) * d_out[12];
    gx += c11 * (1.f - 5.f * z * z) * d_out[13];
    gz += -10.f * c11 * x * z * d_out[13];
    gx += 2.f * c14 * x * z * d_out[14];
    gy += -2.f * c14 * y * z * d_out[14];
    gz += c14 * (x * x - y * y) * d_out[14];
    gx += c9 * (3.f * y * y - 3.f * x * x) * d_out[15];
    gy += 6.f * c9 * x * y * d_out[15];
  }
  *dx += gx;
  *dy += gy;
  *dz += gz;
}

}  // namespace nerds
