#include "renderer/techniques/per_image/transient_head.h"

#include <algorithm>
#include <cstring>

#include "renderer/math/rng.h"
#include "renderer/math/transient_compositing.h"

namespace nerds {

namespace {
constexpr int kOutputs = 5;  // sigma^tau, c^tau (3), beta
// The transient density starts near zero (softplus(-4) = 0.018): the static field explains
// what it can before the transient head takes anything (our MLPs have no biases, whose
// initialisation would do this).
constexpr float kDensityShift = -4.f;
}

void TransientGradients::set_zero() {
  for (auto& m : mlp) m.setZero();
  std::fill(codes.begin(), codes.end(), 0.f);
}

void TransientGradients::add(const TransientGradients& other) {
  for (size_t i = 0; i < mlp.size(); ++i) mlp[i] += other.mlp[i];
  for (size_t i = 0; i < codes.size(); ++i) codes[i] += other.codes[i];
}

TransientHead::TransientHead(const TransientConfig& config, int geo_features)
    : config_(config), geo_features_(geo_features) {
  if (!config_.enabled) return;
  mlp_ = Mlp({inputs(), config_.hidden, config_.layers, kOutputs});
  codes_.assign(static_cast<size_t>(config_.images) * config_.dim, 0.f);
}

void TransientHead::initialize(uint64_t seed) {
  if (!config_.enabled) return;
  mlp_.initialize(seed);
  // Each image's code starts apart from the others' (nerf_pl: torch's Embedding, N(0, 1); here
  // uniform with unit variance), so the head is per-image from the first step on.
  Pcg32 rng(seed, 0x7a3);
  for (float& v : codes_) v = 1.7320508f * (2.f * rng.next_float() - 1.f);
}

std::vector<ParamTensor> TransientHead::param_tensors() {
  if (!config_.enabled) return {};
  std::vector<ParamTensor> out = mlp_.param_tensors(kTransientMlpTensors);
  ParamTensor t;
  t.name = kTransientEmbeddingsTensor;
  t.shape = {config_.images, config_.dim};
  t.group = ParamGroup::Dense;
  t.values = codes_.data();
  out.push_back(t);
  return out;
}

TransientGradients TransientHead::make_gradients() const {
  TransientGradients g;
  if (!config_.enabled) return g;
  g.mlp = mlp_.zero_like();
  g.codes.assign(codes_.size(), 0.f);
  return g;
}

std::vector<float*> TransientHead::gradients(TransientGradients& grads) const {
  std::vector<float*> out;
  if (!config_.enabled) return out;
  for (Eigen::MatrixXf& g : grads.mlp) out.push_back(g.data());
  out.push_back(grads.codes.data());
  return out;
}

void TransientHead::reserve(TransientWorkspace& ws, int m) const {
  if (m <= ws.capacity) return;
  const size_t n = static_cast<size_t>(std::max(m, ws.capacity + ws.capacity / 2));
  const size_t H = static_cast<size_t>(config_.hidden);
  ws.in.resize(inputs() * n);
  ws.hidden.resize(config_.layers * H * n);
  ws.out.resize(kOutputs * n);
  ws.d_out.resize(kOutputs * n);
  ws.d_in.resize(inputs() * n);
  ws.scratch0.resize(H * n);
  ws.scratch1.resize(H * n);
  ws.hidden_ptrs.clear();
  for (int k = 0; k < config_.layers; ++k) ws.hidden_ptrs.push_back(ws.hidden.data() + k * H * n);
  ws.capacity = static_cast<int>(n);
}

void TransientHead::forward(const float* geo, int ld_geo, const int* image, int m, TransientWorkspace& ws,
                            float* sigma, float* rgb, float* beta) const {
  reserve(ws, m);
  const int G = geo_features_, D = config_.dim, I = inputs();
  for (int i = 0; i < m; ++i) {
    float* col = ws.in.data() + static_cast<size_t>(i) * I;
    std::memcpy(col, geo + static_cast<size_t>(i) * ld_geo, G * sizeof(float));
    std::memcpy(col + G, codes_.data() + static_cast<size_t>(image[i]) * D, D * sizeof(float));
  }
  mlp_.forward(ws.in.data(), I, m, ws.hidden_ptrs.data(), ws.out.data(), kOutputs);
  for (int i = 0; i < m; ++i) {
    const float* o = ws.out.data() + static_cast<size_t>(i) * kOutputs;
    sigma[i] = transient_softplus(o[0] + kDensityShift);
    for (int c = 0; c < 3; ++c) rgb[3 * i + c] = transient_sigmoid(o[1 + c]);
    beta[i] = transient_softplus(o[4]);
  }
}

void TransientHead::backward(TransientWorkspace& ws, const int* image, int m, const float* d_sigma,
                             const float* d_rgb, const float* d_beta, float* d_geo, int ld_d_geo,
                             TransientGradients& grads) const {
  const int G = geo_features_, D = config_.dim, I = inputs();
  for (int i = 0; i < m; ++i) {
    const float* o = ws.out.data() + static_cast<size_t>(i) * kOutputs;
    float* d = ws.d_out.data() + static_cast<size_t>(i) * kOutputs;
    d[0] = d_sigma[i] * transient_sigmoid(o[0] + kDensityShift);  // softplus' = sigmoid
    for (int c = 0; c < 3; ++c) {
      const float s = transient_sigmoid(o[1 + c]);
      d[1 + c] = d_rgb[3 * i + c] * s * (1.f - s);
    }
    d[4] = d_beta[i] * transient_sigmoid(o[4]);
  }
  mlp_.backward(ws.in.data(), I, m, ws.hidden_ptrs.data(), ws.d_out.data(), ws.d_in.data(), I, I, grads.mlp,
                ws.scratch0.data(), ws.scratch1.data());
  for (int i = 0; i < m; ++i) {
    const float* col = ws.d_in.data() + static_cast<size_t>(i) * I;
    if (d_geo) {
      float* dg = d_geo + static_cast<size_t>(i) * ld_d_geo;
      for (int k = 0; k < G; ++k) dg[k] += col[k];
    }
    float* dc = grads.codes.data() + static_cast<size_t>(image[i]) * D;
    for (int k = 0; k < D; ++k) dc[k] += col[G + k];
  }
}

}  // namespace nerds
