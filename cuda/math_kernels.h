// The shared formulas of renderer/math run on the GPU over whole arrays: the kernels the
// CUDA trainer is built from, each a thin wrapper over the same NERDS_HD function the CPU
// backend calls. Plain C++ interface (host vectors in and out) so that the parity tests,
// compiled by the host compiler, can compare them with the CPU backend.
#pragma once

#include <vector>

#include "renderer/techniques/fields/network_config.h"
#include "renderer/techniques/samplers/occupancy_grid.h"
#include "renderer/math/adam.h"
#include "renderer/math/hash_grid.h"
#include "renderer/math/losses.h"
#include "renderer/model/packed_model.h"

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

// An MLP's layers as the CPU's Mlp holds them: per layer its (outputs x inputs), and the
// weights of every layer one after the other, each column-major.
struct MlpLayers {
  std::vector<int> rows, cols;
  std::vector<float> weights;
};

// The fused tensor-core MLP on n samples (x: n x inputs, sample after sample): its output
// (n x outputs) and, for dL/d(output) = d_out, dL/dx (n x inputs) and dL/dW (laid out like
// mlp.weights). d_out is used as given (no loss scale): keep it of order 1e-3..1.
struct MlpPass {
  std::vector<float> out, d_in, d_weights;
};
MlpPass fused_mlp_pass(const MlpLayers& mlp, const std::vector<float>& x, const std::vector<float>& d_out, int n);

// The radiance field with the tensors of `model` on n samples (network positions and unit
// directions, 3 floats each): sigma, rgb, and for dL/dsigma, dL/drgb the gradients of the
// hash table and of both MLPs (each MLP's layers one after the other, column-major).
struct NetworkPass {
  std::vector<float> sigma, rgb, d_grid, d_density, d_color;
};
NetworkPass network_pass(const NetworkConfig& config, const PackedModel& model,
                         const std::vector<float>& pos, const std::vector<float>& dir, const std::vector<float>& d_sigma,
                         const std::vector<float>& d_rgb);

// One occupancy-grid update at `step` on the GPU, starting from model.occupancy; returns the
// values after it.
std::vector<float> occupancy_update_pass(const NetworkConfig& config, const PackedModel& model,
                                         const OccupancyConfig& occupancy, int step, uint64_t seed);

}  // namespace nerds::cuda
