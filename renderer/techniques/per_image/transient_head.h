// NeRF-W's transient head (Martin-Brualla et al. 2021, Sec. 4.2, Eq. 10-12): an MLP on a
// sample's geometry features (the density MLP's outputs, NeRF-W's z(t)) and its image's
// transient code l_i^(tau) (n^(tau) numbers per training image) giving the transient density
// sigma^tau, color c^tau and uncertainty beta of the sample in that image. People, cars or
// balls seen in one photo go there instead of into the shared static field; the uncertainty
// lowers the loss's weight where the photo disagrees with the rest (Eq. 13,
// renderer/math/transient_compositing.h). Training only: renders show the static field.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "renderer/backend/mlp.h"
#include "renderer/model/param_tensor.h"
#include "renderer/techniques/per_image/per_image_config.h"

namespace nerds {

constexpr const char* kTransientMlpTensors = "transient.mlp";             // + ".<layer>"
constexpr const char* kTransientEmbeddingsTensor = "transient.embeddings";  // [images, dim], row-major

// Per-thread buffers of one batch (activations kept for the backward pass).
struct TransientWorkspace {
  int capacity = 0;
  std::vector<float> in, hidden, out, d_out, d_in, scratch0, scratch1;
  std::vector<float*> hidden_ptrs;
};

struct TransientGradients {
  std::vector<Eigen::MatrixXf> mlp;
  std::vector<float> codes;  // the codes' layout
  void set_zero();
  void add(const TransientGradients& other);
};

class TransientHead {
 public:
  TransientHead() = default;
  TransientHead(const TransientConfig& config, int geo_features);

  bool enabled() const { return config_.enabled; }
  const TransientConfig& config() const { return config_; }
  void initialize(uint64_t seed);  // the MLP (Xavier) and the codes (random, unit variance)
  // The MLP's layers, then the codes (none when disabled).
  std::vector<ParamTensor> param_tensors();
  // Where grads holds each of those tensors' gradient, in the same order.
  std::vector<float*> gradients(TransientGradients& grads) const;
  TransientGradients make_gradients() const;

  // m samples: geometry features geo (G rows, leading dimension ld_geo), image[i] the sample's
  // training image. Writes sigma^tau[m], c^tau[3m], beta[m] (before beta_min); keeps what the
  // backward pass reads in ws.
  void forward(const float* geo, int ld_geo, const int* image, int m, TransientWorkspace& ws, float* sigma,
               float* rgb, float* beta) const;
  // Given dL/dsigma^tau, dL/dc^tau, dL/dbeta of the m samples of the last forward: accumulates
  // the MLP's and the codes' gradients into grads and adds dL/d(geometry features) into d_geo
  // (G rows, leading dimension ld_d_geo).
  void backward(TransientWorkspace& ws, const int* image, int m, const float* d_sigma, const float* d_rgb,
                const float* d_beta, float* d_geo, int ld_d_geo, TransientGradients& grads) const;

 private:
  void reserve(TransientWorkspace& ws, int m) const;
  int inputs() const { return geo_features_ + config_.dim; }

  TransientConfig config_;
  int geo_features_ = 0;
  Mlp mlp_;
  std::vector<float> codes_;
};

}  // namespace nerds
