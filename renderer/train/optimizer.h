// Adam on the model's tensor list (Kingma & Ba 2015, Algorithm 1; the per-entry formula is
// renderer/math/adam.h), with Instant-NGP's settings (Sec. 4: beta1 0.9, beta2 0.99,
// eps 1e-15, L2 weight decay on the MLPs only). A tensor's optimizer group says how it moves
// (param_tensor.h): a sparse tensor only where its gradient is non-zero and without weight
// decay (tiny-cuda-nn's hash-table update), a dense one everywhere with the decay. Both
// backends take their per-tensor settings from tensor_adam_step, so a new tensor needs no
// optimizer code.
#pragma once

#include <cstddef>

#include "renderer/math/adam.h"
#include "renderer/model/param_tensor.h"
#include "renderer/train/train_config.h"

namespace nerds {

// Whether Adam leaves the entries whose gradient is exactly zero alone.
inline bool group_skips_zero_gradients(ParamGroup group) { return group != ParamGroup::Dense; }

// Adam's settings for `tensor` at training step t (1-based) when the schedule's learning rate
// is lr: the tensor's learning-rate factor, its group's weight decay.
inline AdamStep tensor_adam_step(const ParamTensorInfo& tensor, const OptimizerConfig& o, float lr, int t) {
  const float l2 = tensor.group == ParamGroup::Dense ? o.mlp_l2_reg : 0.f;
  return make_adam_step(lr * tensor.lr_factor, o.beta1, o.beta2, o.eps, t, l2);
}

// Adam on entries [begin, end) of `tensor` (values and moments) with their gradient `grad`
// (the tensor's layout, indexed from its first entry), as the tensor's group says; zeroes
// grad there for the next step. The rmsprop group takes RMSProp instead (rmsprop.h: the
// step's learning rate only, its running mean square in the second moments).
void adam_update_range(const ParamTensor& tensor, AdamMoments& moments, const AdamStep& step, float* grad,
                       size_t begin, size_t end);

}  // namespace nerds
