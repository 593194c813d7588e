// Plenoxels' colour activation (Fridovich-Keil, Yu et al. CVPR 2022, Sec. 3.1): the colour of a
// channel seen along d is s = SH(d) . coefficients, mapped to a non-negative radiance. The
// official code (svox2 render_lerp_kernel_cuvol.cu) clamps s + 0.5 at 0: the coefficients start
// at 0 (grey 0.5), the slope is 1 wherever the colour is positive, and the colour is not bounded
// above. The engine's first version used sigmoid(s), also 0.5 at s = 0, whose slope is at most
// a quarter and vanishes as colours approach 0 or 1 (field.sh_color_activation).
#pragma once

#include <math.h>

#include "renderer/math/activations.h"
#include "renderer/math/hd.h"

namespace nerds {

enum class ShColorActivation : int { Clamp = 0, Sigmoid = 1 };

NERDS_HD float sh_color_activation(int kind, float s) {
  return kind == static_cast<int>(ShColorActivation::Sigmoid) ? sigmoid(s) : fmaxf(s + 0.5f, 0.f);
}

// d colour / d s from the colour: the clamp passes the gradient where the colour is positive
// (svox2's color_in_01, which also passes it at s + 0.5 = 0 exactly, a set of measure zero).
NERDS_HD float sh_color_activation_grad_from_output(int kind, float color) {
  return kind == static_cast<int>(ShColorActivation::Sigmoid) ? sigmoid_grad_from_output(color)
                                                               : (color > 0.f ? 1.f : 0.f);
}

}  // namespace nerds
