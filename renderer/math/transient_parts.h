// NeRF-W's composite of one ray (Martin-Brualla et al. 2021, Eq. 10) split into what the static
// and the transient field each contribute, for showing them apart (the paper's Fig. 4 and 8):
//   static    = sum_k T_k alpha(sigma_k delta_k) c_k + T_K background
//   transient = sum_k T_k alpha(sigma^tau_k delta_k) c^tau_k
// with T_k = exp(-sum_{j<k} (sigma_j + sigma^tau_j) delta_j), as transient_composite
// (transient_compositing.h): static + transient is its colour. Also the transient opacity
// sum_k T_k alpha^tau_k and the rendered uncertainty of Eq. 11 (beta_min added).
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

struct TransientParts {
  float static_rgb[3];
  float transient_rgb[3];
  float transient_opacity;
  float beta;
};

NERDS_HD TransientParts transient_parts(const float* sigma, const float* rgb, const float* sigma_t,
                                               const float* rgb_t, const float* beta, const float* dt, int n,
                                               const float* background, float beta_min) {
  TransientParts out{{0.f, 0.f, 0.f}, {0.f, 0.f, 0.f}, 0.f, beta_min};
  float T = 1.f;
  for (int k = 0; k < n; ++k) {
    const float a = 1.f - expf(-sigma[k] * dt[k]);
    const float at = 1.f - expf(-sigma_t[k] * dt[k]);
    for (int c = 0; c < 3; ++c) {
      out.static_rgb[c] += T * a * rgb[3 * k + c];
      out.transient_rgb[c] += T * at * rgb_t[3 * k + c];
    }
    out.beta += T * at * beta[k];
    out.transient_opacity += T * at;
    T *= (1.f - a) * (1.f - at);
  }
  for (int c = 0; c < 3; ++c) out.static_rgb[c] += T * background[c];
  return out;
}

}  // namespace nerds
