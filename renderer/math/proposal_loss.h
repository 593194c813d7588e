// Mip-NeRF 360's proposal loss (Barron et al. 2022, Sec. 3, Eq. 12-13), per ray and without
// scratch memory. The proposal network's weights w_hat on its intervals [T_j, T_{j+1}) must
// bound the NeRF's weights w on the final intervals [t_i, t_{i+1}] from above:
//   bound(T, w_hat, [t_i, t_{i+1}]) = sum_{j: [T_j, T_{j+1}) overlaps [t_i, t_{i+1}]} w_hat_j   (Eq. 12)
//   L_prop = sum_i 1/w_i max(0, w_i - bound_i)^2                                                (Eq. 13)
// with the NeRF's weights w under stop-gradient: only the proposal's weights receive a
// gradient. Overlap follows the official code's searchsorted (multinerf stepfun.inner_outer):
// a proposal interval counts when T_j <= t_{i+1} and T_{j+1} > t_i, which differs from the
// paper's half-open intervals only where edges coincide. 1/w_i is 1/(w_i + eps) with
// eps = FLT_EPSILON, as the code's lossfun_outer ("a constant gradient at w_outer = 0").
// The code averages over the final intervals and the rays (jnp.mean) and sums over the
// proposal stages with weight 1 (interlevel_loss_mult); the caller scales by 1/n and its
// weight.
#pragma once

#include "renderer/math/hd.h"

namespace nerds {

// The official code's eps in 1/(w + eps): float32's machine epsilon.
constexpr float kProposalLossEps = 1.1920929e-7f;

// The number of edges of T[0..m] (m intervals, ascending) at or below v.
NERDS_HD int edges_at_or_below(const float* T, int m, float v, int from) {
  int k = from;
  while (k <= m && T[k] <= v) ++k;
  return k;
}

// The first and one-past-last proposal interval overlapping [a, b] (a <= b; Eq. 12's sum runs
// over [lo, hi)). cnt_a/cnt_b: edges_at_or_below of a and b.
NERDS_HD void overlap_range(int cnt_a, int cnt_b, int m, int* lo, int* hi) {
  const int l = cnt_a - 1;
  *lo = l < 0 ? 0 : (l > m ? m : l);
  *hi = cnt_b < m ? cnt_b : m;
}

// Eq. 12 for every final interval: bound[i] for the n intervals t[0..n] against the m
// proposal intervals T[0..m] with weights w_hat. Both edge lists ascending.
NERDS_HD void proposal_bound(const float* t, int n, const float* T, const float* w_hat, int m, float* bound) {
  // Both ends move forward only, so one pass over each list with running prefix sums
  // C_k = sum_{j<k} w_hat_j at the two ends.
  int cnt_lo = 0, cnt_hi = 0, c_lo_k = 0, c_hi_k = 0;
  float c_lo = 0.f, c_hi = 0.f;
  for (int i = 0; i < n; ++i) {
    cnt_lo = edges_at_or_below(T, m, t[i], cnt_lo);
    cnt_hi = edges_at_or_below(T, m, t[i + 1], cnt_hi);
    int lo, hi;
    overlap_range(cnt_lo, cnt_hi, m, &lo, &hi);
    while (c_lo_k < lo) c_lo += w_hat[c_lo_k++];
    while (c_hi_k < hi) c_hi += w_hat[c_hi_k++];
    bound[i] = hi > lo ? c_hi - c_lo : 0.f;
  }
}

// One ray's L_prop (Eq. 13, unscaled sum over the n final intervals) for one proposal stage,
// and when d_w_hat is not null its gradient dL/dw_hat_j times `scale` into d_w_hat[0..m)
// (overwritten): each final interval's dL/dbound_i = -2 max(0, w_i - bound_i) / (w_i + eps)
// reaches every w_hat_j of its overlap range, summed through a difference array.
// bound: n floats of scratch.
NERDS_HD float proposal_loss(const float* t, const float* w, int n, const float* T, const float* w_hat, int m,
                             float* bound, float scale, float* d_w_hat) {
  proposal_bound(t, n, T, w_hat, m, bound);
  float loss = 0.f;
  for (int i = 0; i < n; ++i) {
    const float excess = w[i] - bound[i];
    if (excess > 0.f) loss += excess * excess / (w[i] + kProposalLossEps);
  }
  if (!d_w_hat) return loss;
  for (int j = 0; j < m; ++j) d_w_hat[j] = 0.f;
  int cnt_lo = 0, cnt_hi = 0;
  for (int i = 0; i < n; ++i) {
    cnt_lo = edges_at_or_below(T, m, t[i], cnt_lo);
    cnt_hi = edges_at_or_below(T, m, t[i + 1], cnt_hi);
    const float excess = w[i] - bound[i];
    if (!(excess > 0.f)) continue;
    int lo, hi;
    overlap_range(cnt_lo, cnt_hi, m, &lo, &hi);
    if (hi <= lo) continue;
    const float g = -2.f * excess / (w[i] + kProposalLossEps) * scale;
    d_w_hat[lo] += g;
    if (hi < m) d_w_hat[hi] -= g;
  }
  float run = 0.f;
  for (int j = 0; j < m; ++j) {
    run += d_w_hat[j];
    d_w_hat[j] = run;
  }
  return loss;
}

}  // namespace nerds
