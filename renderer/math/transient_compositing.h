// NeRF-W's transient model on one ray (Martin-Brualla et al. 2021, Sec. 4.2): a sample's
// transient outputs from its head's raw values, the static and transient fields composited
// together (Eq. 10), the rendered uncertainty (Eq. 11-12), the loss of Eq. 13, and the exact
// gradient of that loss with respect to every per-sample quantity. Templated on the scalar so
// that the finite-difference tests run it in double; the CPU backend runs it in float.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

// The transient head's activations (as the public reimplementation kwea123/nerf_pl does:
// softplus density, sigmoid color, softplus uncertainty; beta_min is added after rendering,
// Eq. 11). raw[0] density, raw[1..3] color, raw[4] uncertainty.
template <class F>
NERDS_HD F transient_softplus(F x) {
  return x > F(20) ? x : std::log1p(std::exp(x));
}
template <class F>
NERDS_HD F transient_sigmoid(F x) {
  return F(1) / (F(1) + std::exp(-x));
}

// What the transient compositing of one ray gives: the composited color (over the background),
// the rendered uncertainty beta_hat = beta_min + sum_k T_k alpha(sigma^tau_k delta_k) beta_k
// (Eq. 11-12), and the transient share of the color (sum_k T_k alpha^tau_k, for render modes).
template <class F>
struct TransientComposite {
  F rgb[3];
  F beta;
  F transient_opacity;
  F transmittance;  // left after the last sample (what the background gets)
};

// Eq. 10: C = sum_k T_k (alpha(sigma_k delta_k) c_k + alpha(sigma^tau_k delta_k) c^tau_k)
// + T_K background, with T_k = exp(-sum_{j<k} (sigma_j + sigma^tau_j) delta_j).
template <class F>
NERDS_HD TransientComposite<F> transient_composite(const F* sigma, const F* rgb, const F* sigma_t, const F* rgb_t,
                                                   const F* beta, const F* dt, int n, const F* background,
                                                   F beta_min) {
  TransientComposite<F> out{{F(0), F(0), F(0)}, F(0), F(0), F(1)};
  F T = F(1);
  for (int k = 0; k < n; ++k) {
    const F a = F(1) - std::exp(-sigma[k] * dt[k]);
    const F at = F(1) - std::exp(-sigma_t[k] * dt[k]);
    for (int c = 0; c < 3; ++c) out.rgb[c] += T * (a * rgb[3 * k + c] + at * rgb_t[3 * k + c]);
    out.beta += T * at * beta[k];
    out.transient_opacity += T * at;
    T *= (F(1) - a) * (F(1) - at);
  }
  for (int c = 0; c < 3; ++c) out.rgb[c] += T * background[c];
  out.beta += beta_min;
  out.transmittance = T;
  return out;
}

// Eq. 13 on one ray: L = ||C - C_hat||^2 / (2 beta^2) + log(beta^2) / 2 + (lambda_u / K)
// sum_k sigma^tau_k (K the ray's samples). Returns L; writes scale * dL/d(each input) (the
// batch's mean over rays: scale = 1 / rays). pred (3, optional) gets the composited color,
// beta_out (optional) the rendered uncertainty.
template <class F>
NERDS_HD F transient_ray_loss(const F* sigma, const F* rgb, const F* sigma_t, const F* rgb_t, const F* beta,
                              const F* dt, int n, const F* background, const F* target, F beta_min,
                              F density_weight, F scale, F* d_sigma, F* d_rgb, F* d_sigma_t, F* d_rgb_t, F* d_beta,
                              F* pred = nullptr, F* beta_out = nullptr) {
  const TransientComposite<F> c = transient_composite(sigma, rgb, sigma_t, rgb_t, beta, dt, n, background, beta_min);
  const F b = c.beta;
  F err2 = F(0), g[3];
  for (int k = 0; k < 3; ++k) {
    const F e = c.rgb[k] - target[k];
    err2 += e * e;
    g[k] = scale * e / (b * b);  // dL/dC
  }
  F sum_sigma_t = F(0);
  for (int k = 0; k < n; ++k) sum_sigma_t += sigma_t[k];
  const F inv_k = n > 0 ? F(1) / F(n) : F(0);
  const F loss = err2 / (F(2) * b * b) + std::log(b) + density_weight * inv_k * sum_sigma_t;
  const F gb = scale * (-err2 / (b * b * b) + F(1) / b);  // dL/dbeta_hat
  // Backward: what lies behind sample k (the later samples' color and uncertainty, and the
  // background) is the total minus what lies up to k; raising either density at k dims it
  // by exp(-sigma delta).
  F T = F(1), done[3] = {F(0), F(0), F(0)}, done_beta = beta_min;
  for (int k = 0; k < n; ++k) {
    const F a = F(1) - std::exp(-sigma[k] * dt[k]);
    const F at = F(1) - std::exp(-sigma_t[k] * dt[k]);
    F dot_self_static = F(0), dot_self_transient = F(0), dot_behind = F(0);
    for (int ch = 0; ch < 3; ++ch) {
      done[ch] += T * (a * rgb[3 * k + ch] + at * rgb_t[3 * k + ch]);
      dot_self_static += g[ch] * T * (F(1) - a) * rgb[3 * k + ch];
      dot_self_transient += g[ch] * T * (F(1) - at) * rgb_t[3 * k + ch];
      dot_behind += g[ch] * (c.rgb[ch] - done[ch]);
      d_rgb[3 * k + ch] = g[ch] * T * a;
      d_rgb_t[3 * k + ch] = g[ch] * T * at;
    }
    done_beta += T * at * beta[k];
    const F beta_behind = c.beta - done_beta;
    d_sigma[k] = dt[k] * (dot_self_static - dot_behind - gb * beta_behind);
    d_sigma_t[k] = dt[k] * (dot_self_transient - dot_behind + gb * (T * (F(1) - at) * beta[k] - beta_behind)) +
                   scale * density_weight * inv_k;
    d_beta[k] = gb * T * at;
    T *= (F(1) - a) * (F(1) - at);
  }
  if (pred)
    for (int k = 0; k < 3; ++k) pred[k] = c.rgb[k];
  if (beta_out) *beta_out = b;
  return loss;
}

}  // namespace nerds
