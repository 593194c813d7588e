#include "renderer/backend/mlp.h"

#include <cmath>
#include <stdexcept>

#include "renderer/math/rng.h"

namespace nerds {

Mlp::Mlp(const MlpConfig& config) : config_(config) {
  if (config.inputs < 1 || config.hidden < 1 || config.hidden_layers < 1 || config.outputs < 1)
    throw std::invalid_argument("mlp: every size must be positive");
  int in = config.inputs;
  for (int k = 0; k < config.hidden_layers; ++k) {
    weights_.emplace_back(Eigen::MatrixXf::Zero(config.hidden, in));
    in = config.hidden;
  }
  weights_.emplace_back(Eigen::MatrixXf::Zero(config.outputs, in));
}

size_t Mlp::param_count() const {
  size_t n = 0;
  for (const auto& w : weights_) n += static_cast<size_t>(w.size());
  return n;
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

void Mlp::forward(const float* x, int ld_x, int n, float* const* hidden, float* out, int ld_out) const {
  const int H = config_.hidden;
  ConstMatrixMap in(x, config_.inputs, n, Eigen::OuterStride<>(ld_x));
  for (int k = 0; k < config_.hidden_layers; ++k) {
    MatrixMap h(hidden[k], H, n, Eigen::OuterStride<>(H));
    if (k == 0) {
      h.noalias() = weights_[0] * in;
    } else {
      ConstMatrixMap prev(hidden[k - 1], H, n, Eigen::OuterStride<>(H));
      h.noalias() = weights_[k] * prev;
    }
    h = h.cwiseMax(0.f);
  }
  ConstMatrixMap last(hidden[config_.hidden_layers - 1], H, n, Eigen::OuterStride<>(H));
  MatrixMap o(out, config_.outputs, n, Eigen::OuterStride<>(ld_out));
  o.noalias() = weights_.back() * last;
}

void Mlp::backward(const float* x, int ld_x, int n, const float* const* hidden, const float* d_out, float* d_x,
                   int ld_dx, int dx_rows, std::vector<Eigen::MatrixXf>& d_weights, float* scratch0,
                   float* scratch1) const {
  const int H = config_.hidden;
  const int L = config_.hidden_layers;
  ConstMatrixMap g_out(d_out, config_.outputs, n, Eigen::OuterStride<>(config_.outputs));
  ConstMatrixMap last(hidden[L - 1], H, n, Eigen::OuterStride<>(H));
  d_weights[L].noalias() += g_out * last.transpose();

  // g holds dL/d(post-ReLU activation of layer k), then dL/d(pre-activation) in place.
  float* g_buf = scratch0;
  float* next_buf = scratch1;
  MatrixMap g(g_buf, H, n, Eigen::OuterStride<>(H));
  g.noalias() = weights_[L].transpose() * g_out;
  for (int k = L - 1; k >= 0; --k) {
    MatrixMap gk(g_buf, H, n, Eigen::OuterStride<>(H));
    ConstMatrixMap hk(hidden[k], H, n, Eigen::OuterStride<>(H));
    gk = (hk.array() > 0.f).select(gk.array(), 0.f);  // ReLU backward
    if (k > 0) {
      ConstMatrixMap prev(hidden[k - 1], H, n, Eigen::OuterStride<>(H));
      d_weights[k].noalias() += gk * prev.transpose();
      MatrixMap gn(next_buf, H, n, Eigen::OuterStride<>(H));
      gn.noalias() = weights_[k].transpose() * gk;
      std::swap(g_buf, next_buf);
    } else {
      ConstMatrixMap in(x, config_.inputs, n, Eigen::OuterStride<>(ld_x));
      d_weights[0].noalias() += gk * in.transpose();
      if (d_x) {
        MatrixMap dx(d_x, dx_rows, n, Eigen::OuterStride<>(ld_dx));
        dx.noalias() = weights_[0].leftCols(dx_rows).transpose() * gk;
      }
    }
  }
}

}  // namespace nerds
