// Photometric losses on a ray's composited color and their gradients. The batch loss is the
// mean over rays and channels; each function returns the ray's loss contribution (sum over
// its 3 channels, before the 1/(3*n_rays) normalization) and writes dL/dpred per channel.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

enum class LossKind : int { L2 = 0, Huber = 1 };

// L2 (NeRF, Eq. 6). scale = 1 / (3 * n_rays) turns the sum into the batch mean.
NERDS_HD float l2_loss(const float* pred, const float* target, float scale, float* d_pred) {
  float loss = 0.f;
  for (int k = 0; k < 3; ++k) {
    const float r = pred[k] - target[k];
    loss += r * r;
    d_pred[k] = 2.f * r * scale;
  }
  return loss;
}

// Huber (smooth L1, quadratic within delta): instant-ngp's option for real captures.
NERDS_HD float huber_loss(const float* pred, const float* target, float delta, float scale, float* d_pred) {
  float loss = 0.f;
  for (int k = 0; k < 3; ++k) {
    const float r = pred[k] - target[k];
    const float a = fabsf(r);
    if (a <= delta) {
      loss += 0.5f * r * r / delta;
      d_pred[k] = r / delta * scale;
    } else {
      loss += a - 0.5f * delta;
      d_pred[k] = (r > 0.f ? 1.f : -1.f) * scale;
    }
  }
  return loss;
}

NERDS_HD float photometric_loss(LossKind kind, const float* pred, const float* target, float huber_delta,
                                float scale, float* d_pred) {
  return kind == LossKind::Huber ? huber_loss(pred, target, huber_delta, scale, d_pred)
                                 : l2_loss(pred, target, scale, d_pred);
}

// A ray's loss weighted by `weight` (Mip-NeRF's area loss, Barron et al. 2021, Sec. 4: a
// pixel's loss times its area in full-resolution pixels; 1 without it): the weighted loss,
// and its gradient in d_pred.
NERDS_HD float weighted_photometric_loss(LossKind kind, const float* pred, const float* target, float huber_delta,
                                         float scale, float weight, float* d_pred) {
  return weight * photometric_loss(kind, pred, target, huber_delta, scale * weight, d_pred);
}

}  // namespace nerds
