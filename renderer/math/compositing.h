// Volume rendering quadrature (NeRF, Mildenhall et al. 2020, Eq. 3):
//   C = sum_i T_i alpha_i c_i + T_N * background,  alpha_i = 1 - exp(-sigma_i delta_i),
//   T_i = prod_{j<i} (1 - alpha_j),
// with early termination once T falls below a threshold (Instant-NGP, Sec. 5.4), and its
// exact backward. This is the one place the compositing math lives: training, rendering,
// evaluation and the ray inspector all call these functions (composite_step is the one
// per-sample term, composite_over_background the one "+ T_N * background").
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

// Opacity of one sample: alpha_i = 1 - exp(-sigma_i delta_i); its weight is T_i * alpha_i.
NERDS_HD float sample_alpha(float sigma, float dt) { return 1.f - expf(-sigma * dt); }

// One sample's terms of Eq. 3: alpha_i, the transmittance T_i in front of it and its weight
// w_i = T_i alpha_i.
struct SampleWeight {
  float alpha, transmittance, weight;
};

// The terms of the sample (sigma_i, delta_i) given *T = T_i; advances *T to T_{i+1}.
NERDS_HD SampleWeight composite_step(float sigma, float dt, float* T) {
  SampleWeight s;
  s.alpha = sample_alpha(sigma, dt);
  s.transmittance = *T;
  s.weight = *T * s.alpha;
  *T *= 1.f - s.alpha;
  return s;
}

struct CompositeResult {
  float rgb[3] = {0.f, 0.f, 0.f};  // sum of w_i c_i (no background)
  float transmittance = 1.f;       // T after the last used sample
  float depth = 0.f;               // sum of w_i t_i (expected termination distance)
  int used = 0;                    // samples consumed before early termination
};

// sigma[i], rgb[3i..3i+2], dt[i], t[i] for n samples of one ray (front to back). Samples
// after T < min_transmittance are not used (and get no gradient). `state` carries T and the
// sums across calls, so a ray can be composited in pieces (wavefront rendering).
NERDS_HD void composite_forward(const float* sigma, const float* rgb, const float* dt, const float* t, int n,
                                float min_transmittance, CompositeResult* state) {
  float T = state->transmittance;
  int i = 0;
  for (; i < n && T >= min_transmittance; ++i) {
    const float w = composite_step(sigma[i], dt[i], &T).weight;
    state->rgb[0] += w * rgb[3 * i + 0];
    state->rgb[1] += w * rgb[3 * i + 1];
    state->rgb[2] += w * rgb[3 * i + 2];
    state->depth += w * t[i];
  }
  state->transmittance = T;
  state->used += i;
}

// The ray's colour: the samples' sum over the background, C = sum_i w_i c_i + T_N * background.
NERDS_HD void composite_over_background(const CompositeResult& c, const float* background, float* rgb) {
  for (int k = 0; k < 3; ++k) rgb[k] = c.rgb[k] + c.transmittance * background[k];
}

// A rendered pixel from its ray's composite: the colour over the background, the opacity
// 1 - T_N, and the depth sum_i w_i t_i (along the ray the samples were placed on).
struct CompositePixel {
  float rgb[3];
  float opacity;
  float depth;
};

NERDS_HD CompositePixel composite_pixel(const CompositeResult& c, const float* background) {
  CompositePixel p;
  composite_over_background(c, background, p.rgb);
  p.opacity = 1.f - c.transmittance;
  p.depth = c.depth;
  return p;
}

// The same count for a ray marched in pieces: *transmittance in is the ray's transmittance
// before these samples, out after the ones used.
NERDS_HD int composite_used_prefix(const float* sigma, const float* dt, int n, float min_transmittance,
                                   float* transmittance) {
  float T = *transmittance;
  int i = 0;
  for (; i < n && T >= min_transmittance; ++i) composite_step(sigma[i], dt[i], &T);
  *transmittance = T;
  return i;
}

// How many of n samples composite_forward would use from a ray whose transmittance is T
// (1: a fresh ray): those before the transmittance falls below min_transmittance. It needs
// only the densities, so the trainer and the renderers evaluate the color network on these
// samples alone.
NERDS_HD int composite_used_count(const float* sigma, const float* dt, int n, float min_transmittance,
                                  float transmittance = 1.f) {
  return composite_used_prefix(sigma, dt, n, min_transmittance, &transmittance);
}

// Backward of C_total = composite + T_N * background for the `used` samples of one ray.
//   dC/dc_i     = w_i
//   dC/dsigma_i = delta_i * (T_{i+1} c_i - (C_total - sum_{j<=i} w_j c_j))
// total_rgb is C_total (with background); d_color = dL/dC_total. Writes d_sigma[i] and
// d_rgb[3i..] for i < used.
NERDS_HD void composite_backward(const float* sigma, const float* rgb, const float* dt, int used,
                                 const float* total_rgb, const float* d_color, float* d_sigma, float* d_rgb) {
  float T = 1.f;
  float acc[3] = {0.f, 0.f, 0.f};
  for (int i = 0; i < used; ++i) {
    const float w = composite_step(sigma[i], dt[i], &T).weight;  // T is now T_{i+1}
    float g = 0.f;
    for (int k = 0; k < 3; ++k) {
      acc[k] += w * rgb[3 * i + k];
      d_rgb[3 * i + k] = w * d_color[k];
      g += d_color[k] * (T * rgb[3 * i + k] - (total_rgb[k] - acc[k]));
    }
    d_sigma[i] = dt[i] * g;
  }
}

// Backward of any loss of the weights w_i = T_i alpha_i alone (a regularizer such as Mip-NeRF
// 360's L_dist, or the proposal networks' L_prop through their histogram): with
// d_w[i] = dL/dw_i,
//   dL/dsigma_j = delta_j * (T_{j+1} dL/dw_j - sum_{i>j} w_i dL/dw_i),
// since dw_j/dsigma_j = delta_j T_{j+1} and dw_i/dsigma_j = -delta_j w_i for i > j. Adds it to
// d_sigma[j] for j < n. `Delta` gives sample i's delta_i (a step, or an interval's length).
template <class Delta>
NERDS_HD void weights_backward(const float* sigma, Delta delta, int n, const float* d_w, float* d_sigma) {
  float T = 1.f, total = 0.f, passed = 0.f;  // sums of w_i dL/dw_i: over all i, over i <= j
  for (int i = 0; i < n; ++i) total += composite_step(sigma[i], delta(i), &T).weight * d_w[i];
  T = 1.f;
  for (int j = 0; j < n; ++j) {
    const float dt = delta(j);
    passed += composite_step(sigma[j], dt, &T).weight * d_w[j];  // T is now T_{j+1}
    d_sigma[j] += dt * (T * d_w[j] - (total - passed));
  }
}

// delta_i of weights_backward: samples' steps, or the lengths of intervals between edges.
struct StepDeltas {
  const float* dt;
  NERDS_HD float operator()(int i) const { return dt[i]; }
};
struct EdgeDeltas {
  const float* edges;
  NERDS_HD float operator()(int i) const { return edges[i + 1] - edges[i]; }
};

NERDS_HD void composite_weights_backward(const float* sigma, const float* dt, int n, const float* d_w,
                                         float* d_sigma) {
  weights_backward(sigma, StepDeltas{dt}, n, d_w, d_sigma);
}

}  // namespace nerds
