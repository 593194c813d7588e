// Frequency encodings of positions for coordinate MLPs:
// - NeRF's positional encoding (Mildenhall et al. 2020, Eq. 4), applied to each coordinate:
//     gamma(p) = (sin(2^0 pi p), cos(2^0 pi p), ..., sin(2^{L-1} pi p), cos(2^{L-1} pi p)),
//   optionally preceded by p itself (the paper's Eq. 4 has no identity; its code prepends it),
//   and its derivative d gamma / d p;
// - Mip-NeRF's conical frustum as a Gaussian (Barron et al. 2021, Sec. 3.1, Eq. 7-8) and its
//   integrated positional encoding (IPE, Sec. 3.1, Eq. 9-14): the expectation of gamma under
//   that Gaussian, E[sin(x)] = sin(mu) exp(-var/2) and E[cos(x)] = cos(mu) exp(-var/2) for
//   x ~ N(mu, var), over the diagonal of the covariance lifted by each frequency (4^k var).
// Both encodings share one layout, so IPE with zero variance is exactly the plain encoding:
//   [p_0 .. p_{D-1}]  (only with include_input), then for k = 0..L-1:
//   [sin(f_k p_0) .. sin(f_k p_{D-1}), cos(f_k p_0) .. cos(f_k p_{D-1})],  f_k = base 2^k.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct FrequencyEncoding {
  int dims = 3;               // D: coordinates encoded (3 positions, 3 directions)
  int frequencies = 10;       // L: NeRF uses 10 for positions, 4 for directions
  bool include_input = true;  // prepend p (NeRF's code does; Mip-NeRF's IPE does not)
  // f_0. NeRF's Eq. 4 has pi (inputs in [-1, 1]: the lowest frequency spans one period);
  // NeRF's and Mip-NeRF's code use 1 (Mip-NeRF's lifting matrix P holds 2^k) on positions in
  // scene units.
  float base = 3.14159265358979f;
};

NERDS_HD int frequency_encoding_width(const FrequencyEncoding& e) {
  return e.dims * ((e.include_input ? 1 : 0) + 2 * e.frequencies);
}

// f_k = base * 2^k, exact in float (a power of two times base).
NERDS_HD float encoding_frequency(const FrequencyEncoding& e, int k) { return ldexpf(e.base, k); }

// gamma(p): writes frequency_encoding_width(e) values of p[0..dims-1] to out.
NERDS_HD void frequency_encode(const FrequencyEncoding& e, const float* p, float* out) {
  const int D = e.dims;
  if (e.include_input) {
    for (int d = 0; d < D; ++d) out[d] = p[d];
    out += D;
  }
  for (int k = 0; k < e.frequencies; ++k) {
    const float f = encoding_frequency(e, k);
    for (int d = 0; d < D; ++d) {
      out[d] = sinf(f * p[d]);
      out[D + d] = cosf(f * p[d]);
    }
    out += 2 * D;
  }
}

// Backward of frequency_encode: accumulates dL/dp[d] += sum_j dL/dout[j] * dout[j]/dp[d] with
//   d sin(f p)/dp = f cos(f p),  d cos(f p)/dp = -f sin(f p).
// Positions are not trained, but pose refinement (BARF) needs gradients into the rays.
NERDS_HD void frequency_encode_backward(const FrequencyEncoding& e, const float* p, const float* d_out, float* d_p) {
  const int D = e.dims;
  if (e.include_input) {
    for (int d = 0; d < D; ++d) d_p[d] += d_out[d];
    d_out += D;
  }
  for (int k = 0; k < e.frequencies; ++k) {
    const float f = encoding_frequency(e, k);
    for (int d = 0; d < D; ++d) {
      const float s = sinf(f * p[d]), c = cosf(f * p[d]);
      d_p[d] += f * (c * d_out[d] - s * d_out[D + d]);
    }
    d_out += 2 * D;
  }
}

// The IPE (Mip-NeRF Eq. 9-14): the expected encoding of x ~ N(mean, diag(var)). With
// var = 0 it equals frequency_encode(mean); frequency k is damped by exp(-f_k^2 var / 2), so
// the frequencies finer than the Gaussian fade out (anti-aliasing). Same layout and width.
NERDS_HD void integrated_encode(const FrequencyEncoding& e, const float* mean, const float* var, float* out) {
  const int D = e.dims;
  if (e.include_input) {
    for (int d = 0; d < D; ++d) out[d] = mean[d];
    out += D;
  }
  for (int k = 0; k < e.frequencies; ++k) {
    const float f = encoding_frequency(e, k);
    for (int d = 0; d < D; ++d) {
      const float damp = expf(-0.5f * f * f * var[d]);  // lifted variance f_k^2 var = base^2 4^k var
      out[d] = sinf(f * mean[d]) * damp;
      out[D + d] = cosf(f * mean[d]) * damp;
    }
    out += 2 * D;
  }
}

// Backward of integrated_encode: accumulates dL/dmean and (when d_var is not null) dL/dvar:
//   d/dmean: f damp (cos d_sin - sin d_cos);   d/dvar: -f^2/2 damp (sin d_sin + cos d_cos).
NERDS_HD void integrated_encode_backward(const FrequencyEncoding& e, const float* mean, const float* var,
                                         const float* d_out, float* d_mean, float* d_var) {
  const int D = e.dims;
  if (e.include_input) {
    for (int d = 0; d < D; ++d) d_mean[d] += d_out[d];
    d_out += D;
  }
  for (int k = 0; k < e.frequencies; ++k) {
    const float f = encoding_frequency(e, k);
    for (int d = 0; d < D; ++d) {
      const float damp = expf(-0.5f * f * f * var[d]);
      const float s = sinf(f * mean[d]), c = cosf(f * mean[d]);
      d_mean[d] += f * damp * (c * d_out[d] - s * d_out[D + d]);
      if (d_var) d_var[d] += -0.5f * f * f * damp * (s * d_out[d] + c * d_out[D + d]);
    }
    d_out += 2 * D;
  }
}

// A conical frustum t in [t0, t1] of the cone with apex o, axis d (not normalized: Mip-NeRF
// takes d = camera-space direction with z = -1, so t is depth) and world-space radius
// `radius` * t at o + t d, as the moments of a uniform distribution over its volume
// (Mip-NeRF Eq. 7). Mip-NeRF sets radius to the pixel's width at t = 1 times 2/sqrt(12)
// (a uniform footprint's standard deviation, doubled).
struct FrustumGaussian {
  float t_mean = 0.f;  // mu_t: mean distance along the ray
  float t_var = 0.f;   // sigma_t^2: variance along the ray
  float r_var = 0.f;   // sigma_r^2: variance perpendicular to the ray (per axis)
};

// Eq. 7, in the stable form of the paper (in t_mu, t_delta rather than t0^5 - t1^5 / ...):
//   t_mu = (t0+t1)/2, t_delta = (t1-t0)/2, q = 3 t_mu^2 + t_delta^2,
//   mu_t      = t_mu + 2 t_mu t_delta^2 / q
//   sigma_t^2 = t_delta^2/3 - 4/15 t_delta^4 (12 t_mu^2 - t_delta^2) / q^2
//   sigma_r^2 = radius^2 (t_mu^2/4 + 5/12 t_delta^2 - 4/15 t_delta^4 / q)
NERDS_HD FrustumGaussian conical_frustum(float t0, float t1, float radius) {
  const float mu = 0.5f * (t0 + t1), hw = 0.5f * (t1 - t0);
  const float mu2 = mu * mu, hw2 = hw * hw, hw4 = hw2 * hw2;
  const float q = 3.f * mu2 + hw2;
  FrustumGaussian g;
  g.t_mean = mu + 2.f * mu * hw2 / q;
  g.t_var = hw2 / 3.f - (4.f / 15.f) * hw4 * (12.f * mu2 - hw2) / (q * q);
  g.r_var = radius * radius * (mu2 / 4.f + (5.f / 12.f) * hw2 - (4.f / 15.f) * hw4 / q);
  return g;
}

// The frustum's Gaussian in world space (Eq. 8): mean = o + mu_t d and the diagonal of
//   Sigma = sigma_t^2 d d^T + sigma_r^2 (I - d d^T / |d|^2),
// i.e. var_i = sigma_t^2 d_i^2 + sigma_r^2 (1 - d_i^2 / |d|^2): all the IPE needs.
NERDS_HD void frustum_to_world(Vec3 o, Vec3 d, const FrustumGaussian& g, Vec3* mean, Vec3* var_diag) {
  *mean = o + d * g.t_mean;
  const float inv_d2 = 1.f / dot(d, d);
  for (int i = 0; i < 3; ++i) {
    const float di2 = d[i] * d[i];
    (*var_diag)[i] = g.t_var * di2 + g.r_var * (1.f - di2 * inv_d2);
  }
}

}  // namespace nerds
