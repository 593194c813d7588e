// The Instant-NGP radiance field on the GPU (Müller et al. 2022, Sec. 5.4), the same network
// as renderer/techniques/fields/nerf_network.h: hash (or dense) grid encoding -> density MLP (first output: log-density)
// -> color MLP on [geometry features, SH(direction)] -> sigmoid RGB. The encoding, SH,
// activations and Adam are the renderer/math formulas run per item; the MLPs are the fused
// tensor-core kernels of cuda/mlp. Gradients are kept in float; the MLPs' backward runs on
// half values multiplied by a loss scale (as tiny-cuda-nn does) so small gradients do not
// underflow.
#pragma once

#include <cuda_fp16.h>

#include <cstdint>
#include <vector>

#include <string>

#include "cuda/buffer.h"
#include "cuda/mlp/fused_mlp.cuh"
#include "renderer/techniques/fields/network_config.h"
#include "renderer/model/packed_model.h"
#include "renderer/train/train_config.h"

namespace nerds::cuda {

// Multiplies the MLPs' output gradients before they are rounded to half precision.
constexpr float kLossScale = 1024.f;
// Samples per network call for inference (about 130 MB of buffers).
constexpr int64_t kInferenceChunk = 1 << 20;

// One trained tensor of the model (renderer/model/param_tensor.h) as the kernels keep it: its
// description, and where its values, gradient and Adam moments lie. Entry (r, c) of the
// tensor, seen as rows x cols (a 2-D tensor's shape; anything else one row), is at
// values[r * ld + c]; the `count` floats from `values` on may hold padding past the tensor's
// own entries (the fused MLP's layers), which stays zero.
struct DeviceTensor {
  ParamTensorInfo info;
  int64_t rows = 1, cols = 0, ld = 0, count = 0;
  float *values = nullptr, *grads = nullptr, *adam_m = nullptr, *adam_v = nullptr;
  __half* values_half = nullptr;  // the half copy the fused MLP reads, or null
  float grad_scale = 1.f;         // the gradient is kept multiplied by this (the MLPs' loss scale)
};

// One MLP: float master weights, their half copy for the kernels, gradients and Adam moments,
// all in the padded layout of MlpShape.
struct DeviceMlp {
  MlpShape shape;
  std::vector<int> rows, cols;  // the unpadded (outputs x inputs) of each layer
  DeviceBuffer<float> weights, grads, adam_m, adam_v;
  DeviceBuffer<__half> weights_half;

  void allocate(const MlpShape& padded, std::vector<int> layer_rows, std::vector<int> layer_cols);
  // Layer k as a trained tensor called mlp_layer_tensor_name(prefix, k) (as the CPU's Mlp
  // lists it: [outputs, inputs], column-major, dense group).
  DeviceTensor layer_tensor(const char* prefix, int k);
  // A padded array (weights, gradients) as the CPU's Mlp lays its layers out one after the
  // other (column-major each).
  std::vector<float> unpad(const std::vector<float>& padded) const;
  // The weights from that layout (and their half copy): for the parity tests, which run an
  // MLP outside a network.
  void upload_weights(const std::vector<float>& layers);
};

// Empty when the network kernels can run `config`; else why not, naming the parameter
// (hidden widths other than 64, inputs wider than 64, a skip connection, an encoding other
// than the hash or dense grid, ...).
std::string device_network_supports(const NetworkConfig& config);

// Per-sample buffers for one batch (capacities in rows, multiples of 128): inference needs the
// first four only; training also keeps activations and gradients.
struct NetworkBatch {
  int64_t inference_capacity = 0, training_capacity = 0;
  DeviceBuffer<__half> enc, density_hidden, color_in, color_hidden;
  DeviceBuffer<float> density_out, color_out;
  DeviceBuffer<__half> d_color_out, d_density_out, d_pre_color, d_pre_density;
  DeviceBuffer<float> d_color_in, d_enc;
};

class DeviceNetwork {
 public:
  // Throws std::invalid_argument with device_network_supports' reason when the kernels cannot
  // run this configuration.
  explicit DeviceNetwork(const NetworkConfig& config);

  const HashGridView& grid_view() const { return grid_view_; }

  // Every tensor's values and Adam moments from the one of the same name in `model`.
  void upload(const PackedModel& model);
  // Every tensor's values and Adam moments into the one of the same name in `model` (each
  // must be listed there).
  void download(PackedModel& model) const;

  void reserve(NetworkBatch& b, int64_t n, bool training) const;
  // Density at n network positions (3 floats each, device memory): inference, no activations
  // kept, in pieces of at most kInferenceChunk samples so any n fits in memory.
  void density(const float* pos, int64_t n, NetworkBatch& b, float* sigma, cudaStream_t stream) const;
  // Density and color; keep_for_backward stores the activations backward() needs (in one
  // piece: the batch is the training batch); without it, in pieces as density().
  void forward(const float* pos, const float* dir, int64_t n, NetworkBatch& b, float* sigma, float* rgb,
               bool keep_for_backward, cudaStream_t stream) const;
  // Backward of the last forward(keep_for_backward) on the same batch: accumulates the hash
  // table's and the MLPs' gradients from dL/dsigma and dL/drgb.
  void backward(const float* pos, int64_t n, NetworkBatch& b, const float* d_sigma, const float* d_rgb,
                cudaStream_t stream);
  // The accumulated gradients (MLPs: loss scale removed, their layers one after the other,
  // column-major as the CPU's NetworkGradients), for the parity tests.
  void download_gradients(std::vector<float>& grid, std::vector<float>& density, std::vector<float>& color) const;
  // Adam on every tensor of the list, as its optimizer group says (optimizer.h), at step t
  // (1-based) and the schedule's learning rate lr; clears the gradients.
  void adam(const OptimizerConfig& optimizer, float lr, int t, cudaStream_t stream);

 private:
  NetworkConfig config_;
  HashGridView grid_view_;
  int enc_dim_ = 0, enc_pad_ = 0, geo_ = 0, geo_pad_ = 0, color_in_ = 0, color_in_pad_ = 0;
  DeviceBuffer<float> grid_, grid_grad_, grid_m_, grid_v_;
  DeviceMlp density_, color_;
  std::vector<DeviceTensor> tensors_;  // named and ordered as NerfNetwork::param_tensors lists them
};

}  // namespace nerds::cuda
