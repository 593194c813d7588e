// Adam (Kingma & Ba 2015, Algorithm 1) with Instant-NGP's settings (beta1 0.9, beta2 0.99,
// eps 1e-15). An entry whose gradient is exactly zero is skipped, as tiny-cuda-nn does for
// the hash table: a hash entry no sample touched this step keeps its parameter and moments.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

struct AdamStep {
  float lr = 1e-2f;          // learning rate already including decay
  float beta1 = 0.9f, beta2 = 0.99f, eps = 1e-15f;
  float bias1 = 1.f, bias2 = 1.f;  // 1 - beta^t for the step t
  float l2_reg = 0.f;        // weight decay added to the gradient
};

NERDS_HD AdamStep make_adam_step(float lr, float beta1, float beta2, float eps, int t, float l2_reg) {
  AdamStep s;
  s.lr = lr; s.beta1 = beta1; s.beta2 = beta2; s.eps = eps; s.l2_reg = l2_reg;
  s.bias1 = 1.f - powf(beta1, static_cast<float>(t));
  s.bias2 = 1.f - powf(beta2, static_cast<float>(t));
  return s;
}

struct AdamValues {
  float param, m, v;
};

// One Adam step of a parameter with gradient g: the new parameter and moments.
NERDS_HD AdamValues adam_step_values(const AdamStep& s, float g, float param, float m, float v) {
  g += s.l2_reg * param;
  AdamValues r;
  r.m = s.beta1 * m + (1.f - s.beta1) * g;
  r.v = s.beta2 * v + (1.f - s.beta2) * g * g;
  r.param = param - s.lr * (r.m / s.bias1) / (sqrtf(r.v / s.bias2) + s.eps);
  return r;
}

// Updates one parameter; returns false (and changes nothing) when its gradient is zero and
// skip_zero is set.
NERDS_HD bool adam_update(const AdamStep& s, float g, bool skip_zero, float* param, float* m, float* v) {
  if (skip_zero && g == 0.f) return false;
  const AdamValues r = adam_step_values(s, g, *param, *m, *v);
  *param = r.param;
  *m = r.m;
  *v = r.v;
  return true;
}

}  // namespace nerds
