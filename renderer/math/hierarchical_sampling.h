// Where the hierarchical sampler puts a ray's samples (NeRF, Mildenhall et al. 2020, Sec. 5.2,
// Eq. 2 and 5), per ray and without scratch memory, on top of pdf_sampling.h:
// 1. N_c stratified coarse samples over the ray's [t0, t1] in the scene box (Eq. 2);
// 2. each sample stands for an interval: the boundaries are the midpoints between sorted
//    samples, closed by t0 and t1, so the intervals tile [t0, t1] and a sample's dt is its
//    interval's length (for the coarse and for the final samples alike);
// 3. the coarse weights w_i = T_i (1 - exp(-sigma_i dt_i)) (Eq. 5) on those intervals are
//    the piecewise-constant PDF from which N_f fine samples are drawn (sample_pdf);
// 4. the union of both, sorted, is what the network evaluates and the compositing sums.
// NeRF trains a separate coarse network with its own loss on the coarse samples; we use one
// network for both passes (as Mip-NeRF does): the coarse pass is a forward-only density
// evaluation, and the coarse samples are trained as part of the union.
#pragma once

#include "renderer/math/compositing.h"
#include "renderer/math/hd.h"
#include "renderer/math/pdf_sampling.h"

namespace nerds {

// NeRF's code pads the weights so a ray whose coarse weights are all zero still samples.
constexpr float kFinePdfPadding = 1e-5f;

// Step 1: coarse sample i of n at the stratified position of NeRF Eq. 2; jitter[i] in [0, 1)
// (training) or null (rendering: each stratum's center).
NERDS_HD void coarse_sample_positions(float t0, float t1, int n, const float* jitter, float* t) {
  for (int i = 0; i < n; ++i) t[i] = stratified_sample(t0, t1, i, n, jitter ? jitter[i] : 0.5f);
}

// Step 2: the n + 1 interval boundaries of n ascending samples in [t0, t1].
NERDS_HD void sample_interval_edges(const float* t, int n, float t0, float t1, float* edges) {
  edges[0] = t0;
  for (int i = 1; i < n; ++i) edges[i] = 0.5f * (t[i - 1] + t[i]);
  edges[n] = t1;
}

// Step 3a: the compositing weights w_i = T_i alpha_i of n samples on the intervals `edges`
// (NeRF Eq. 5; composite_forward's per-sample step, without early termination).
NERDS_HD void interval_weights(const float* sigma, const float* edges, int n, float* w) {
  float T = 1.f;
  for (int i = 0; i < n; ++i) w[i] = composite_step(sigma[i], edges[i + 1] - edges[i], &T).weight;
}

// The backward of interval_weights: given dL/dw_i, writes dL/dsigma_k for n samples on
// intervals between `edges` (compositing.h's weights_backward).
NERDS_HD void interval_weights_backward(const float* sigma, const float* edges, const float* d_w, int n,
                                        float* d_sigma) {
  for (int k = 0; k < n; ++k) d_sigma[k] = 0.f;
  weights_backward(sigma, EdgeDeltas{edges}, n, d_w, d_sigma);
}

// Step 3b: n_fine samples from the PDF of the n_coarse weights on `edges`, ascending;
// jitter[j] in [0, 1) per stratum of the uniforms (training) or null (rendering: the strata's
// centers, deterministic). u: n_fine floats of scratch.
NERDS_HD void fine_sample_positions(const float* edges, const float* w, int n_coarse, int n_fine, const float* jitter,
                                    float* u, float* t_fine) {
  stratified_uniforms(n_fine, jitter, u);
  sample_pdf(edges, w, n_coarse, kFinePdfPadding, u, n_fine, t_fine);
}

// Steps 3b and 4 for given coarse weights, as a rendering pass places them (no jitter): the
// n_coarse + n_fine sorted samples of a ray over [t0, t1]. `is_fine` (may be null) marks which
// came from the fine pass. scratch: 2 n_coarse + 1 + 2 n_fine floats.
NERDS_HD void hierarchical_sample_positions(float t0, float t1, const float* w, int n_coarse, int n_fine,
                                            float* scratch, float* t, unsigned char* is_fine) {
  float* coarse = scratch;
  float* edges = coarse + n_coarse;
  float* fine = edges + n_coarse + 1;
  float* u = fine + n_fine;
  coarse_sample_positions(t0, t1, n_coarse, nullptr, coarse);
  sample_interval_edges(coarse, n_coarse, t0, t1, edges);
  fine_sample_positions(edges, w, n_coarse, n_fine, nullptr, u, fine);
  merge_sorted(coarse, n_coarse, fine, n_fine, t, is_fine);
}

}  // namespace nerds
