// Hierarchical volume sampling (NeRF, Mildenhall et al. 2020, Sec. 5.2). The coarse pass
// draws N_c stratified samples (Eq. 2); its compositing weights w_i = T_i (1 - exp(-sigma_i
// delta_i)) (Eq. 5), normalized to w_i / sum_j w_j, form a piecewise-constant PDF along the
// ray, from which the fine pass draws N_f more samples by inverse transform sampling; the
// fine network then evaluates all N_c + N_f samples in order (merge_sorted).
// Everything here is deterministic given its uniform numbers, so both backends and the tests
// draw the same samples from the same numbers, and needs no scratch memory.
#pragma once

#include "renderer/math/hd.h"

namespace nerds {

// NeRF Eq. 2: sample i of n in [t_near, t_far], uniformly inside its stratum,
//   t_i = t_near + (i + xi) (t_far - t_near) / n,  xi in [0, 1) (0.5: the stratum's center).
NERDS_HD float stratified_sample(float t_near, float t_far, int i, int n, float xi) {
  return t_near + (static_cast<float>(i) + xi) * (t_far - t_near) / static_cast<float>(n);
}

// Sorted uniform numbers for sample_pdf: u_j = (j + xi_j) / m (one per stratum of [0, 1)),
// with xi_j = 0.5 for a deterministic (evaluation) pass. `jitter` may be null (all 0.5).
NERDS_HD void stratified_uniforms(int m, const float* jitter, float* u) {
  for (int j = 0; j < m; ++j) u[j] = (static_cast<float>(j) + (jitter ? jitter[j] : 0.5f)) / static_cast<float>(m);
}

// Inverse transform sampling of the piecewise-constant PDF on n bins [edges[i], edges[i+1]]
// with mass weights[i] + padding (NeRF's code pads by 1e-5 so an all-zero ray still samples;
// weights must be >= 0). For each u[j] in [0, 1), sorted ascending, writes the t with
// CDF(t) = u[j]: the bin where the CDF crosses u[j] and the linear position inside it,
//   t = edges[i] + (u total - cdf_i) / w_i (edges[i+1] - edges[i]),
// so out[] is sorted and each sample lies inside a bin of positive mass, and a bin receives
// on average m w_i / total samples. Sorted u lets one pass walk the CDF (no CDF array). With
// zero total mass the samples spread uniformly over [edges[0], edges[n]].
NERDS_HD void sample_pdf(const float* edges, const float* weights, int n, float padding, const float* u, int m,
                         float* out) {
  float total = 0.f;
  for (int i = 0; i < n; ++i) total += weights[i] + padding;
  if (!(total > 0.f)) {
    for (int j = 0; j < m; ++j) out[j] = edges[0] + u[j] * (edges[n] - edges[0]);
    return;
  }
  int i = 0;
  float cdf = 0.f;  // the mass of the bins before bin i
  for (int j = 0; j < m; ++j) {
    const float target = u[j] * total;
    // Skip the bins the CDF passes at or below the target (empty ones included), but never
    // past the last mass: the running sum repeats total's summation exactly, so the bin the
    // walk stops in always has w > 0, even when u total rounds up to total.
    float w = weights[i] + padding;
    while (i < n - 1 && cdf + w <= target && cdf + w < total) {
      cdf += w;
      w = weights[++i] + padding;
    }
    float frac = (target - cdf) / w;
    frac = frac < 0.f ? 0.f : (frac > 1.f ? 1.f : frac);
    out[j] = edges[i] + frac * (edges[i + 1] - edges[i]);
  }
}

// Merges two ascending arrays into out (na + nb values, ascending): the coarse and the fine
// samples, which NeRF's fine network evaluates together. from_b (may be null) gets 1 where
// out[k] came from b (a fine sample), 0 where from a.
NERDS_HD void merge_sorted(const float* a, int na, const float* b, int nb, float* out,
                           unsigned char* from_b = nullptr) {
  int i = 0, j = 0, k = 0;
  while (i < na || j < nb) {
    const bool take_b = i == na || (j < nb && b[j] < a[i]);
    if (from_b) from_b[k] = take_b ? 1 : 0;
    out[k++] = take_b ? b[j++] : a[i++];
  }
}

}  // namespace nerds
