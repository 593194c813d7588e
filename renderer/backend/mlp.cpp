#include "renderer/backend/mlp.h"

#include <cmath>
#include <stdexcept>
#include <utility>

#include "renderer/techniques/fields/network_tensor_names.h"
#include "renderer/backend/small_gemm.h"
#include "renderer/math/rng.h"

namespace nerds {

Mlp::Mlp(const MlpConfig& config) : config_(config) {
  if (config.inputs < 1 || config.hidden < 1 || config.hidden_layers < 1 || config.outputs < 1)
    throw std::invalid_argument("mlp: every size must be positive");
  if (config.skip_layer < 0 || config.skip_layer >= config.hidden_layers)
    throw std::invalid_argument("mlp: skip_layer must be 0 (none) or below the number of hidden layers");
  int in = config.inputs;
  for (int k = 0; k < config.hidden_layers; ++k) {
    const bool skip_in = k > 0 && k == config.skip_layer;
    weights_.emplace_back(Eigen::MatrixXf::Zero(config.hidden, skip_in ? config.inputs + in : in));
    in = config.hidden;
  }
  weights_.emplace_back(Eigen::MatrixXf::Zero(config.outputs, in));
}

size_t Mlp::param_count() const {
  size_t n = 0;
  for (const auto& w : weights_) n += static_cast<size_t>(w.size());
  return n;
}

std::vector<ParamTensor> Mlp::param_tensors(const char* prefix) {
  std::vector<ParamTensor> out;
  for (size_t k = 0; k < weights_.size(); ++k) {
    ParamTensor t;
    t.name = mlp_layer_tensor_name(prefix, static_cast<int>(k));
    t.shape = {weights_[k].rows(), weights_[k].cols()};
    t.column_major = true;
    t.group = ParamGroup::Dense;
    t.values = weights_[k].data();
    out.push_back(std::move(t));
  }
  return out;
}

void Mlp::initialize(uint64_t seed) {
  Pcg32 rng(seed, 0x31b7);
  for (auto& w : weights_) {
    const float bound = std::sqrt(6.f / static_cast<float>(w.rows() + w.cols()));
    for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = (rng.next_float() * 2.f - 1.f) * bound;
  }
}

std::vector<Eigen::MatrixXf> Mlp::zero_like() const {
  std::vector<Eigen::MatrixXf> out;
  for (const auto& w : weights_) out.emplace_back(Eigen::MatrixXf::Zero(w.rows(), w.cols()));
  return out;
}

namespace {
// C = W * X (+ ReLU or a ReLU-backward mask) through the register-blocked kernel where the
// shape allows, Eigen otherwise.
// W: (M x K) column-major with leading dimension M (a whole matrix or a block of columns).
void product(const float* W, int M, int K, const float* x, int ldx, float* out, int ldo, int n, bool relu,
             const float* mask = nullptr, int ld_mask = 0) {
  if (small_gemm(W, M, K, x, ldx, out, ldo, n, relu, mask, ld_mask)) return;
  ConstMatrixMap w(W, M, K, Eigen::OuterStride<>(M));
  ConstMatrixMap in(x, K, n, Eigen::OuterStride<>(ldx));
  MatrixMap o(out, M, n, Eigen::OuterStride<>(ldo));
  o.noalias() = w * in;
  if (relu) o = o.cwiseMax(0.f);
  if (mask) {
    ConstMatrixMap mk(mask, M, n, Eigen::OuterStride<>(ld_mask));
    o = (mk.array() > 0.f).select(o.array(), 0.f);
  }
}

// dW += G X^T, a layer's weight gradient (or a block of columns of it, leading dimension
// ld_dw) summed over n samples: G (M x n) the gradient at the layer's output, X (K x n) its
// input; the register-blocked kernel where the shape allows, Eigen otherwise.
void weight_gradient(const float* G, int M, int ldg, const float* X, int K, int ldx, int n, float* dW, int ld_dw) {
  if (small_gemm_weight_gradient(G, M, ldg, X, K, ldx, n, dW, ld_dw)) return;
  MatrixMap d(dW, M, K, Eigen::OuterStride<>(ld_dw));
  d.noalias() += ConstMatrixMap(G, M, n, Eigen::OuterStride<>(ldg)) *
                 ConstMatrixMap(X, K, n, Eigen::OuterStride<>(ldx)).transpose();
}

void product(const Eigen::MatrixXf& W, const float* x, int ldx, float* out, int ldo, int n, bool relu,
             const float* mask = nullptr, int ld_mask = 0) {
  product(W.data(), static_cast<int>(W.rows()), static_cast<int>(W.cols()), x, ldx, out, ldo, n, relu, mask,
          ld_mask);
}
}  // namespace

void Mlp::forward(const float* x, int ld_x, int n, float* const* hidden, float* out, int ld_out) const {
  const int H = config_.hidden, I = config_.inputs;
  for (int k = 0; k < config_.hidden_layers; ++k) {
    if (k > 0 && k == config_.skip_layer) {
      // W [x; h] = W_h h + W_x x with W = [W_x | W_h], so the concatenation is never stored.
      const float* w = weights_[k].data();
      product(w + static_cast<size_t>(I) * H, H, H, hidden[k - 1], H, hidden[k], H, n, false);
      MatrixMap o(hidden[k], H, n, Eigen::OuterStride<>(H));
      const ConstMatrixMap w_x(w, H, I, Eigen::OuterStride<>(H)), in(x, I, n, Eigen::OuterStride<>(ld_x));
      o.noalias() += w_x * in;
      o = o.cwiseMax(0.f);
      continue;
    }
    product(weights_[k], k == 0 ? x : hidden[k - 1], k == 0 ? ld_x : H, hidden[k], H, n, true);
  }
  product(weights_.back(), hidden[config_.hidden_layers - 1], H, out, ld_out, n, false);
}

void Mlp::backward(const float* x, int ld_x, int n, const float* const* hidden, const float* d_out, float* d_x,
                   int ld_dx, int dx_rows, std::vector<Eigen::MatrixXf>& d_weights, float* scratch0,
                   float* scratch1) const {
  const int H = config_.hidden;
  const int L = config_.hidden_layers;
  weight_gradient(d_out, config_.outputs, config_.outputs, hidden[L - 1], H, H, n, d_weights[L].data(),
                  config_.outputs);

  // g: dL/d(pre-activation) of hidden layer k: W^T times the next gradient, masked by the
  // ReLU (hidden > 0), in one pass.
  float* g_buf = scratch0;
  float* next_buf = scratch1;
  const Eigen::MatrixXf wt_last = weights_[L].transpose();
  product(wt_last, d_out, config_.outputs, g_buf, H, n, false, hidden[L - 1], H);
  const int I = config_.inputs, S = config_.skip_layer;
  for (int k = L - 1; k >= 0; --k) {
    if (k > 0 && k == S) {
      // The skip layer reads [x; h_{k-1}] through W = [W_x | W_h]: W_x's gradient and its share
      // of dL/dx (the first part of it: the loop reaches this layer before layer 0), then
      // the ReLU-masked W_h^T g as for any hidden layer.
      weight_gradient(g_buf, H, H, x, I, ld_x, n, d_weights[k].data(), H);
      weight_gradient(g_buf, H, H, hidden[k - 1], H, H, n, d_weights[k].data() + static_cast<size_t>(I) * H, H);
      if (d_x) {
        const Eigen::MatrixXf wt = weights_[k].leftCols(dx_rows).transpose();
        product(wt, g_buf, H, d_x, ld_dx, n, false);
      }
      const Eigen::MatrixXf wt = weights_[k].rightCols(H).transpose();
      product(wt, g_buf, H, next_buf, H, n, false, hidden[k - 1], H);
      std::swap(g_buf, next_buf);
    } else if (k > 0) {
      weight_gradient(g_buf, H, H, hidden[k - 1], H, H, n, d_weights[k].data(), H);
      const Eigen::MatrixXf wt = weights_[k].transpose();
      product(wt, g_buf, H, next_buf, H, n, false, hidden[k - 1], H);
      std::swap(g_buf, next_buf);
    } else {
      weight_gradient(g_buf, H, H, x, I, ld_x, n, d_weights[0].data(), H);
      if (d_x) {
        const Eigen::MatrixXf wt = weights_[0].leftCols(dx_rows).transpose();
        if (S > 0) {  // add to the skip layer's share
          MatrixMap dx(d_x, dx_rows, n, Eigen::OuterStride<>(ld_dx));
          dx.noalias() += wt * ConstMatrixMap(g_buf, H, n, Eigen::OuterStride<>(H));
        } else {
          product(wt, g_buf, H, d_x, ld_dx, n, false);
        }
      }
    }
  }
}

}  // namespace nerds
