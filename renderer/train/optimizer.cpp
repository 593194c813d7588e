#include "renderer/train/optimizer.h"

#include <cstdint>

#include "renderer/math/rmsprop.h"

namespace nerds {

namespace {
// Branch-free so it vectorizes: which entries of a sparse tensor were touched is random, and a
// branch per entry mispredicts about a third of the time on the hash table's fine levels.
template <bool kSkipZero>
void adam_entries(const AdamStep& step, float* __restrict params, float* __restrict m, float* __restrict v,
                  float* __restrict g, int64_t n) {
  const AdamStep s = step;  // a local copy: the compiler cannot prove `step` does not alias the arrays
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const AdamValues r = adam_step_values(s, gi, params[i], m[i], v[i]);
    const bool touched = !kSkipZero || gi != 0.f;
    params[i] = touched ? r.param : params[i];
    m[i] = touched ? r.m : m[i];
    v[i] = touched ? r.v : v[i];
    g[i] = 0.f;
  }
}
// RMSProp (Plenoxels' grid) where the gradient is non-zero.
void rmsprop_entries(float lr, float* __restrict params, float* __restrict v, float* __restrict g, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    if (gi != 0.f) {
      const RmspropValues r = rmsprop_step_values(lr, gi, params[i], v[i]);
      params[i] = r.param;
      v[i] = r.v;
    }
    g[i] = 0.f;
  }
}

// The same with entry i's step scaled by scale[i / block] (Adam's step is linear in the rate).
void adam_entries_scaled(const AdamStep& step, bool skip_zero, float* params, float* m, float* v, float* g,
                         int64_t n, const float* scale, int64_t first, int block) {
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    g[i] = 0.f;
    if (skip_zero && gi == 0.f) continue;
    const AdamValues r = adam_step_values(step, gi, params[i], m[i], v[i]);
    params[i] += (r.param - params[i]) * scale[(first + i) / block];
    m[i] = r.m;
    v[i] = r.v;
  }
}
}  // namespace

void adam_update_range(const ParamTensor& tensor, AdamMoments& moments, const AdamStep& step, float* grad,
                       size_t begin, size_t end) {
  const int64_t n = static_cast<int64_t>(end - begin);
  float* p = tensor.values + begin;
  float* v = moments.v.data() + begin;
  if (tensor.group == ParamGroup::Rmsprop) {  // no first moment (moments.m is empty)
    rmsprop_entries(step.lr, p, v, grad + begin, n);
    return;
  }
  float* m = moments.m.data() + begin;
  if (tensor.entry_lr)
    adam_entries_scaled(step, group_skips_zero_gradients(tensor.group), p, m, v, grad + begin, n, tensor.entry_lr,
                        static_cast<int64_t>(begin), tensor.entry_lr_block);
  else if (group_skips_zero_gradients(tensor.group))
    adam_entries<true>(step, p, m, v, grad + begin, n);
  else
    adam_entries<false>(step, p, m, v, grad + begin, n);
}

}  // namespace nerds
