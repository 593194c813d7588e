// Mip-NeRF 360's distortion loss (Barron et al. 2022, Eq. 15) and its gradient: for one ray's
// weights w_i on intervals [s_i, s_{i+1}] of normalised distance s in [0, 1],
//   L_dist = sum_{i,j} w_i w_j |(s_i + s_{i+1})/2 - (s_j + s_{j+1})/2| + 1/3 sum_i w_i^2 (s_{i+1} - s_i),
// which pulls each ray's weights together into one compact, thin step (fewer floaters). The
// paper's s is its s-space (Eq. 11, normalised disparity). A contracted ray (warp.kind =
// contract) takes the proposal sampler's s-space (ray_spacing.h) normalised over the ray's
// range; in the box, without a contraction, s is the sample's distance t normalised to the
// ray's range in the box:
// s = (t - t_near) / (t_far - t_near), and a sample [t - dt/2, t + dt/2] (frustum_gaussians'
// interval) has midpoint (t - t_near) / (t_far - t_near) and length dt / (t_far - t_near).
//
// The double sum in linear time: with the midpoints m_i sorted (the samples run front to back),
//   sum_{i,j} w_i w_j |m_i - m_j| = 2 sum_i w_i (m_i W_i - S_i),  W_i = sum_{j<i} w_j, S_i = sum_{j<i} w_j m_j,
// and its derivative dL/dw_k = 2 sum_j w_j |m_k - m_j| + 2/3 w_k (s_{k+1} - s_k)
//   = 2 (m_k W_k - S_k + (S - S_k - w_k m_k) - m_k (W - W_k - w_k)) + 2/3 w_k len_k
// with W, S the sums over all samples. Through w_i = T_i alpha_i it reaches the densities by
// composite_weights_backward (compositing.h).
#pragma once

#include "renderer/math/compositing.h"
#include "renderer/math/hd.h"
#include "renderer/math/ray_spacing.h"

namespace nerds {

// A sample's interval in the normalised distance s of a ray whose range is [t_near, t_far].
struct DistortionInterval {
  float mid, length;
};

// With a piecewise spacing the interval's ends are mapped to s and normalised.
NERDS_HD DistortionInterval distortion_interval(float t, float dt, float t_near, float t_far,
                                                const RaySpacing& sp = RaySpacing{}) {
  if (sp.piecewise) {
    const float s0 = spacing_s(sp, t_near), range = spacing_s(sp, t_far) - s0;
    const float inv = range > 0.f ? 1.f / range : 0.f;
    const float a = spacing_s(sp, t - 0.5f * dt), b = spacing_s(sp, t + 0.5f * dt);
    return {(0.5f * (a + b) - s0) * inv, (b - a) * inv};
  }
  const float range = t_far - t_near;
  const float inv = range > 0.f ? 1.f / range : 0.f;
  return {(t - t_near) * inv, dt * inv};
}

// L_dist of n samples (weights w, distances t, steps dt, sorted by t) on a ray with range
// [t_near, t_far]; writes dL/dw_i into d_w when it is not null.
NERDS_HD float distortion_loss(const float* w, const float* t, const float* dt, int n, float t_near, float t_far,
                               float* d_w, const RaySpacing& sp = RaySpacing{}) {
  float W = 0.f, S = 0.f;  // totals over the ray
  for (int i = 0; i < n; ++i) {
    W += w[i];
    S += w[i] * distortion_interval(t[i], dt[i], t_near, t_far, sp).mid;
  }
  float loss = 0.f, W_before = 0.f, S_before = 0.f;
  for (int i = 0; i < n; ++i) {
    const DistortionInterval s = distortion_interval(t[i], dt[i], t_near, t_far, sp);
    const float cross = s.mid * W_before - S_before;  // sum_{j<i} w_j (m_i - m_j)
    loss += 2.f * w[i] * cross + (1.f / 3.f) * w[i] * w[i] * s.length;
    if (d_w) {
      const float W_after = W - W_before - w[i], S_after = S - S_before - w[i] * s.mid;
      d_w[i] = 2.f * (cross + S_after - s.mid * W_after) + (2.f / 3.f) * w[i] * s.length;
    }
    W_before += w[i];
    S_before += w[i] * s.mid;
  }
  return loss;
}

// A training ray's L_dist from its used samples' densities (the weights of NeRF's Eq. 3, with
// no background term), times `scale`; adds scale * dL/dsigma_i to d_sigma[i]. w and d_w are
// scratch of n floats each.
NERDS_HD float ray_distortion_loss(const float* sigma, const float* dt, const float* t, int n, float t_near,
                                   float t_far, float scale, float* w, float* d_w, float* d_sigma,
                                   const RaySpacing& sp = RaySpacing{}) {
  float T = 1.f;
  for (int i = 0; i < n; ++i) w[i] = composite_step(sigma[i], dt[i], &T).weight;
  const float loss = distortion_loss(w, t, dt, n, t_near, t_far, d_w, sp);
  for (int i = 0; i < n; ++i) d_w[i] *= scale;
  composite_weights_backward(sigma, dt, n, d_w, d_sigma);
  return scale * loss;
}

}  // namespace nerds
