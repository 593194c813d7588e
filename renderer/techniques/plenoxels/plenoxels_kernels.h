// Plenoxels' per-item formulas (Fridovich-Keil, Yu et al. CVPR 2022), written once (NERDS_HD).
#pragma once

#include <math.h>

#include "renderer/math/hd.h"
#include "renderer/math/lr_delay.h"

namespace nerds {

// The total-variation term of one cell and one channel (Sec. 3.4, Eq. 4: sqrt of the squared
// differences to the next node along x, y and z), as the official code evaluates it
// (svox2 loss_kernel.cu tv_grad_sparse_kernel): the differences scaled by the resolution over
// 256, and 1e-9 under the root. v: the cell's value and its neighbours' along x, y, z.
struct TvTerm {
  float value;          // scale * sqrt(1e-9 + |d|^2)
  float d0, dx, dy, dz;  // its derivatives by v0, vx, vy, vz
};

NERDS_HD TvTerm tv_term(float v0, float vx, float vy, float vz, float scale) {
  const float ax = vx - v0, ay = vy - v0, az = vz - v0;
  const float r = sqrtf(1e-9f + scale * scale * (ax * ax + ay * ay + az * az));
  const float k = scale * scale / r;
  TvTerm t;
  t.value = r;
  t.dx = k * ax;
  t.dy = k * ay;
  t.dz = k * az;
  t.d0 = -(t.dx + t.dy + t.dz);
  return t;
}

// svox2's get_expon_lr_func (after JaxNeRF): log-linear from lr to lr_final over decay_steps,
// times a reverse-cosine ease-in from delay_mult over delay_steps (none when 0).
NERDS_HD float plenoxels_lr(float step, float lr, float lr_final, float decay_steps, float delay_steps,
                            float delay_mult) {
  const float delay = lr_delay_factor(step, delay_steps, delay_mult);
  const float t = fminf(fmaxf(step / decay_steps, 0.f), 1.f);
  return delay * expf(logf(lr) * (1.f - t) + logf(lr_final) * t);
}

}  // namespace nerds
