// Output activations of the NeRF field (Instant-NGP, Müller et al. 2022, Sec. 5.4):
// density = truncated exp of the density network's first output, color = sigmoid.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"
#include "renderer/math/scalar.h"

namespace nerds {

// exp(x) forward; its backward clamps the argument to [-15, 15] so a single large raw value
// cannot blow up the gradient (instant-ngp's "truncated exponential").
NERDS_HD float trunc_exp(float x) { return expf(x); }
NERDS_HD float trunc_exp_grad(float x) { return expf(clamp_f(x, -15.f, 15.f)); }

// The hidden layers' activation; its derivative is 1 where the output is positive.
NERDS_HD float relu(float x) { return x > 0.f ? x : 0.f; }

NERDS_HD float sigmoid(float x) { return 1.f / (1.f + expf(-x)); }
// d sigmoid / dx expressed through its output s.
NERDS_HD float sigmoid_grad_from_output(float s) { return s * (1.f - s); }

}  // namespace nerds
