// One training ray's compositing, photometric loss and compositing backward (NeRF Eq. 3 and
// its exact gradient, compositing.h; the loss of losses.h, weighted by Mip-NeRF's area loss
// when asked), as a per-ray kernel body: the CPU backend runs it over a chunk's rays, the
// CUDA backend launches it over the batch, and the parity tests launch it alone.
#pragma once

#include <cstdint>

#include "renderer/math/compositing.h"
#include "renderer/math/hd.h"
#include "renderer/math/losses.h"

namespace nerds {

struct CompositeLossBody {
  const float *sigma, *rgb, *dt, *t, *background, *target;  // samples packed ray after ray; 3 per ray
  const int *begin, *count;  // each ray's first sample and its number of samples
  float min_transmittance, huber_delta, loss_scale;  // loss_scale: 1 / (3 * rays in the batch)
  LossKind loss;
  float *ray_loss, *d_sigma, *d_rgb;
  float* pred = nullptr;  // optional: the composited color over the background, 3 per ray
  int* used = nullptr;    // optional: the samples before early termination
  // Optional: each ray's loss weight (Mip-NeRF's area loss, TrainingRay::loss_weight).
  const float* loss_weight = nullptr;
  // Optional: each ray's squared color error summed over its channels, unweighted, whatever
  // the loss: the batch's mean squared error, for a PSNR estimate during training.
  float* squared_error = nullptr;
  NERDS_HD void operator()(int64_t r) const {
    const int64_t b = begin[r];
    const int c = count[r];
    CompositeResult cr;
    composite_forward(sigma + b, rgb + 3 * b, dt + b, t + b, c, min_transmittance, &cr);
    float p[3], d_pred[3];
    composite_over_background(cr, background + 3 * r, p);
    const float weight = loss_weight ? loss_weight[r] : 1.f;
    ray_loss[r] = weighted_photometric_loss(loss, p, target + 3 * r, huber_delta, loss_scale, weight, d_pred);
    composite_backward(sigma + b, rgb + 3 * b, dt + b, cr.used, p, d_pred, d_sigma + b, d_rgb + 3 * b);
    for (int i = cr.used; i < c; ++i) {  // no gradient past early termination
      d_sigma[b + i] = 0.f;
      d_rgb[3 * (b + i)] = d_rgb[3 * (b + i) + 1] = d_rgb[3 * (b + i) + 2] = 0.f;
    }
    if (pred)
      for (int k = 0; k < 3; ++k) pred[3 * r + k] = p[k];
    if (used) used[r] = cr.used;
    if (squared_error) {
      float e = 0.f;
      for (int k = 0; k < 3; ++k) e += (p[k] - target[3 * r + k]) * (p[k] - target[3 * r + k]);
      squared_error[r] = e;
    }
  }
};

}  // namespace nerds
