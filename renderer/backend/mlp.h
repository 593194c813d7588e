// A fully connected network with ReLU hidden layers and a linear output, without biases
// (as tiny-cuda-nn's FullyFusedMLP, which Instant-NGP uses), optionally with NeRF's skip
// connection (Mildenhall et al. 2020, supplement Fig. 7: the input is concatenated to the
// 5th layer's input, i.e. skip_layer = 4 of 8). The CPU backend runs it as
// Eigen GEMMs over column-major batches (one column per sample); the CUDA backend runs the
// same mlp_forward / mlp_backward contract with its own kernels.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "renderer/model/param_tensor.h"

namespace nerds {

using MatrixMap = Eigen::Map<Eigen::MatrixXf, Eigen::Unaligned, Eigen::OuterStride<>>;
using ConstMatrixMap = Eigen::Map<const Eigen::MatrixXf, Eigen::Unaligned, Eigen::OuterStride<>>;

struct MlpConfig {
  int inputs = 32;
  int hidden = 64;
  int hidden_layers = 1;  // number of hidden (ReLU) layers
  int outputs = 16;
  // 0: no skip. k in [1, hidden_layers - 1]: the input joins the output of the k-th hidden
  // layer (counting from 1) before the next one: weights()[k] reads [input, that output]
  // (input rows first, as NeRF's code concatenates) and has inputs + hidden columns.
  int skip_layer = 0;
};

class Mlp {
 public:
  Mlp() = default;
  explicit Mlp(const MlpConfig& config);

  const MlpConfig& config() const { return config_; }
  // layer k maps (inputs_k) -> (outputs_k); the last layer is linear. With a skip, layer
  // skip_layer's first `inputs` columns weigh the network input, the rest the hidden layer.
  std::vector<Eigen::MatrixXf>& weights() { return weights_; }
  const std::vector<Eigen::MatrixXf>& weights() const { return weights_; }
  size_t param_count() const;
  // Each layer's weights as a trained tensor "<prefix>.<k>": [outputs, inputs], column-major
  // (Eigen's order), in the dense optimizer group (every weight moves, with weight decay).
  std::vector<ParamTensor> param_tensors(const char* prefix);

  // Xavier-uniform initialization (Glorot & Bengio 2010), as tiny-cuda-nn.
  void initialize(uint64_t seed);

  // x: (inputs x n) with leading dimension ld_x. hidden[k]: (hidden x n) contiguous storage
  // for layer k's post-ReLU activations (kept for the backward pass). out: (outputs x n)
  // with leading dimension ld_out.
  void forward(const float* x, int ld_x, int n, float* const* hidden, float* out, int ld_out) const;

  // d_out: (outputs x n) contiguous. Accumulates dL/dW into d_weights (same shapes as
  // weights()). Writes the first dx_rows rows of dL/dx to d_x (leading dimension ld_dx) when
  // d_x is not null (with a skip: the sum of both paths). scratch: two buffers of
  // (hidden x n) floats.
  void backward(const float* x, int ld_x, int n, const float* const* hidden, const float* d_out, float* d_x,
                int ld_dx, int dx_rows, std::vector<Eigen::MatrixXf>& d_weights, float* scratch0,
                float* scratch1) const;

  std::vector<Eigen::MatrixXf> zero_like() const;

 private:
  MlpConfig config_;
  std::vector<Eigen::MatrixXf> weights_;
};

}  // namespace nerds
