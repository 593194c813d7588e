// How Mip-NeRF 360's proposal sampler places intervals (Barron et al. 2022, Sec. 3; the
// official code's stepfun.sample_intervals, google-research/multinerf), per ray and without
// scratch memory. Each stage resamples the previous stage's histogram (interval edges and
// their weights) into m new intervals: m "centers" by inverse transform sampling at
// stratified uniforms (sample_pdf), then the intervals between them: the inner edges at the
// midpoints of adjacent centers, the first and last edge the reflection of the first/last
// midpoint about the first/last center, clamped to the ray's span [lo, hi]. The first stage
// resamples the single interval [t0, t1] of weight 1, i.e. stratified intervals over the ray.
// A sample stands for its interval: it sits at the midpoint, its dt is the interval's length.
#pragma once

#include "renderer/math/hd.h"
#include "renderer/math/pdf_sampling.h"

namespace nerds {

// m >= 2 intervals (out_edges: m + 1 ascending edges in [lo, hi]) resampled from the n bins
// edges[0..n] with weights w (plus `padding` each, sample_pdf). jitter: m numbers in [0, 1)
// (training) or null (rendering: each stratum's center, multinerf's deterministic_center).
// u, centers: m floats of scratch each.
NERDS_HD void resample_intervals(const float* edges, const float* w, int n, float padding, const float* jitter, int m,
                                 float lo, float hi, float* u, float* centers, float* out_edges) {
  stratified_uniforms(m, jitter, u);
  sample_pdf(edges, w, n, padding, u, m, centers);
  for (int j = 1; j < m; ++j) out_edges[j] = 0.5f * (centers[j - 1] + centers[j]);
  const float first = 2.f * centers[0] - out_edges[1], last = 2.f * centers[m - 1] - out_edges[m - 1];
  out_edges[0] = first > lo ? first : lo;
  out_edges[m] = last < hi ? last : hi;
}

// The sample of interval j of edges[0..m]: its midpoint and its length.
NERDS_HD float interval_midpoint(const float* edges, int j) { return 0.5f * (edges[j] + edges[j + 1]); }

}  // namespace nerds
