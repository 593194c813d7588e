// The density activations of the field (field.density_activation): the raw density (the
// density MLP's or the encoding's first output) plus a shift, mapped to sigma >= 0, times a
// scale (TensoRF's distance_scale: its sigma multiplies 25 times the step in scene units).
//   trunc_exp: sigma = exp(raw + shift) (Instant-NGP, Sec. 5.4; activations.h)
//   softplus:  sigma = log(1 + exp(raw + shift)) (TensoRF, Chen et al. 2022, code:
//              fea2denseAct = softplus, density_shift = -10; DVGO, Sun et al. 2022, Eq. 4)
//   relu:      sigma = max(raw + shift, 0) (Plenoxels, Fridovich-Keil et al. 2022, Sec. 3.1)
#pragma once

#include "renderer/math/activations.h"
#include "renderer/math/hd.h"
#include "renderer/math/ref_nerf.h"

namespace nerds {

// kind: DensityActivation's value (network_config.h) as an int, so that this header stays plain.
NERDS_HD float density_activation(int kind, float raw, float shift, float scale) {
  const float x = raw + shift;
  if (kind == 1) return scale * softplus(x);
  if (kind == 2) return scale * relu(x);
  return scale * trunc_exp(x);
}

// d sigma / d raw.
NERDS_HD float density_activation_grad(int kind, float raw, float shift, float scale) {
  const float x = raw + shift;
  if (kind == 1) return scale * softplus_grad(x);
  if (kind == 2) return x > 0.f ? scale : 0.f;
  return scale * trunc_exp_grad(x);
}

}  // namespace nerds
