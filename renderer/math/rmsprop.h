// RMSProp as the Plenoxels code runs it on its grid (Fridovich-Keil, Yu et al. CVPR 2022;
// svox2 optim_kernel.cu rmsprop_once, rms_beta 0.95, epsilon 1e-8): the running mean square
// starts at the first squared gradient, no momentum, no bias correction; entries whose
// gradient is zero (no ray or TV cell touched them) are left alone, as the code's mask does.
#pragma once

#include <math.h>

#include "renderer/math/hd.h"

namespace nerds {

constexpr float kRmspropBeta = 0.95f;
constexpr float kRmspropEps = 1e-8f;

struct RmspropValues {
  float param, v;
};

NERDS_HD RmspropValues rmsprop_step_values(float lr, float g, float param, float v) {
  RmspropValues r;
  r.v = v == 0.f ? g * g : kRmspropBeta * v + (1.f - kRmspropBeta) * g * g;
  r.param = param - lr * g / (sqrtf(r.v) + kRmspropEps);
  return r;
}

}  // namespace nerds
