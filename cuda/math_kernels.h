// The shared formulas of renderer/math run on the GPU over whole arrays: the kernels the
// CUDA trainer is built from, each a thin wrapper over the same NERDS_HD function the CPU
// backend calls. Plain C++ interface (host vectors in and out) so that the parity tests,
// compiled by the host compiler, can compare them with the CPU backend.
#pragma once

#include <vector>

#include "renderer/math/adam.h"
#include "renderer/math/hash_grid.h"
#include "renderer/math/losses.h"

namespace nerds::cuda {

// out: n * levels * features values (sample-major), as HashGrid::encode with ld = L*F.
std::vector<float> hash_grid_encode(const HashGridView& grid, const std::vector<float>& params,
                                    const std::vector<float>& pos);
// dL/dparams (params.size() values) from dL/d(encoding) of every sample; atomics on the GPU.
std::vector<float> hash_grid_backward(const HashGridView& grid, size_t param_count, const std::vector<float>& pos,
                                      const std::vector<float>& d_out);
// degree^2 coefficients per unit direction.
std::vector<float> sh_encode(const std::vector<float>& dirs, int degree);

// One training ray's compositing, loss and compositing backward, per ray (as the trainer).
struct CompositeBatch {
  std::vector<float> sigma, rgb, dt, t;   // per sample (rgb: 3 each)
  std::vector<int> ray_begin, ray_count;  // per ray
  std::vector<float> background, target;  // 3 per ray
  float min_transmittance = 1e-4f;
  LossKind loss = LossKind::L2;
  float huber_delta = 0.1f;
  float loss_scale = 1.f;
};
struct CompositeGradients {
  std::vector<float> pred;              // 3 per ray, composited over the background
  std::vector<int> used;                // samples used per ray
  std::vector<float> loss;              // per ray
  std::vector<float> d_sigma, d_rgb;    // per sample (0 for unused samples)
};
CompositeGradients composite_and_backward(const CompositeBatch& batch);

// Adam over arrays (skipping entries whose gradient is exactly zero when skip_zero).
void adam(const AdamStep& step, bool skip_zero, std::vector<float>& params, const std::vector<float>& grads,
          std::vector<float>& m, std::vector<float>& v);

}  // namespace nerds::cuda
