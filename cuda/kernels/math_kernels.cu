// Thin per-item GPU kernels over renderer/math: no formula is written here.
#include "cuda/buffer.h"
#include "cuda/launch.h"
#include "cuda/math_kernels.h"
#include "renderer/math/compositing.h"
#include "renderer/math/ray_loss.h"
#include "renderer/math/sh.h"

namespace nerds::cuda {

namespace {

// One (sample, level) pair per item.
struct HashEncodeBody {
  HashGridView grid;
  const float* params;
  const float* pos;
  float* out;
  __device__ void operator()(int64_t i) const {
    const int L = grid.n_levels, F = grid.n_features;
    const int64_t s = i / L;
    const int l = static_cast<int>(i % L);
    hash_grid_encode_level(grid, l, params, pos + 3 * s, out + s * L * F + l * F);
  }
};

struct HashBackwardBody {
  HashGridView grid;
  const float* pos;
  const float* d_out;
  float* d_params;
  __device__ void operator()(int64_t i) const {
    const int L = grid.n_levels, F = grid.n_features;
    const int64_t s = i / L;
    const int l = static_cast<int>(i % L);
    hash_grid_backward_level(grid, l, pos + 3 * s, d_out + s * L * F, d_params,
                             [](float* target, float value) { atomicAdd(target, value); });
  }
};

struct ShBody {
  const float* dirs;
  int degree;
  float* out;
  __device__ void operator()(int64_t i) const {
    const float* d = dirs + 3 * i;
    ::nerds::sh_encode(d[0], d[1], d[2], degree, out + i * degree * degree);  // not the host wrapper below
  }
};

struct AdamBody {
  AdamStep step;
  bool skip_zero;
  float *params, *m, *v;
  const float* grads;
  __device__ void operator()(int64_t i) const { adam_update(step, grads[i], skip_zero, params + i, m + i, v + i); }
};

}  // namespace

std::vector<float> hash_grid_encode(const HashGridView& grid, const std::vector<float>& params,
                                    const std::vector<float>& pos) {
  const int64_t n = static_cast<int64_t>(pos.size() / 3);
  DeviceBuffer<float> d_params(params), d_pos(pos), d_out(static_cast<size_t>(n) * grid.n_levels * grid.n_features);
  launch_items("hash_grid_encode", n * grid.n_levels, HashEncodeBody{grid, d_params.data(), d_pos.data(), d_out.data()});
  return d_out.download();
}

std::vector<float> hash_grid_backward(const HashGridView& grid, size_t param_count, const std::vector<float>& pos,
                                      const std::vector<float>& d_out) {
  const int64_t n = static_cast<int64_t>(pos.size() / 3);
  DeviceBuffer<float> d_pos(pos), d_grad_out(d_out), d_params(param_count);
  d_params.zero();
  launch_items("hash_grid_backward", n * grid.n_levels,
               HashBackwardBody{grid, d_pos.data(), d_grad_out.data(), d_params.data()});
  return d_params.download();
}

std::vector<float> sh_encode(const std::vector<float>& dirs, int degree) {
  const int64_t n = static_cast<int64_t>(dirs.size() / 3);
  DeviceBuffer<float> d_dirs(dirs), d_out(static_cast<size_t>(n) * degree * degree);
  launch_items("sh_encode", n, ShBody{d_dirs.data(), degree, d_out.data()});
  return d_out.download();
}

CompositeGradients composite_and_backward(const CompositeBatch& batch) {
  const int64_t n_rays = static_cast<int64_t>(batch.ray_begin.size());
  const size_t n = batch.sigma.size();
  DeviceBuffer<float> sigma(batch.sigma), rgb(batch.rgb), dt(batch.dt), t(batch.t), bg(batch.background),
      target(batch.target);
  DeviceBuffer<int> begin(batch.ray_begin), count(batch.ray_count), used(n_rays);
  DeviceBuffer<float> pred(3 * n_rays), loss(n_rays), d_sigma(n), d_rgb(3 * n);
  d_sigma.zero();
  d_rgb.zero();
  launch_items("composite_and_backward", n_rays,
               CompositeLossBody{sigma.data(), rgb.data(), dt.data(), t.data(), bg.data(), target.data(),
                                 begin.data(), count.data(), batch.min_transmittance, batch.huber_delta,
                                 batch.loss_scale, batch.loss, loss.data(), d_sigma.data(), d_rgb.data(), pred.data(),
                                 used.data()});
  CompositeGradients out;
  out.pred = pred.download();
  out.used = used.download();
  out.loss = loss.download();
  out.d_sigma = d_sigma.download();
  out.d_rgb = d_rgb.download();
  return out;
}

void adam(const AdamStep& step, bool skip_zero, std::vector<float>& params, const std::vector<float>& grads,
          std::vector<float>& m, std::vector<float>& v) {
  DeviceBuffer<float> p(params), g(grads), dm(m), dv(v);
  launch_items("adam", static_cast<int64_t>(params.size()),
               AdamBody{step, skip_zero, p.data(), dm.data(), dv.data(), g.data()});
  p.download(params.data(), params.size());
  dm.download(m.data(), m.size());
  dv.download(v.data(), v.size());
}

}  // namespace nerds::cuda
