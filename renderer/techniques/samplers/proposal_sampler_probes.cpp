#include "renderer/techniques/samplers/proposal_sampler_probes.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "renderer/math/hierarchical_sampling.h"
#include "renderer/math/proposal_loss.h"
#include "renderer/math/proposal_sampling.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/samplers/hierarchical_sampler.h"

namespace nerds {

namespace {

// n + 1 ascending edges over [0, 1] with random gaps.
std::vector<float> random_edges(int n, Pcg32& rng) {
  std::vector<float> e(n + 1, 0.f);
  for (int i = 1; i <= n; ++i) e[i] = e[i - 1] + 0.2f + rng.next_float();
  for (float& x : e) x /= e[n];
  return e;
}

// L_prop of one ray and one stage: the proposal's m weights -> the loss, for fixed final
// intervals with fixed NeRF weights (a bump, so some exceed their bound) and fixed proposal
// intervals.
class ProposalLossProbe : public ModuleProbe {
 public:
  ProposalLossProbe(int n_final, int n_proposal) : n_(n_final), m_(n_proposal) {
    Pcg32 rng(17, 5);
    t_ = random_edges(n_, rng);
    T_ = random_edges(m_, rng);
    for (int i = 0; i < n_; ++i) {
      const float x = (i - 0.5f * n_) / (0.2f * n_ + 1.f);
      w_.push_back(0.8f * std::exp(-x * x) + 0.01f * rng.next_float());
    }
  }
  std::string name() const override { return "sampler (kind=proposal): L_prop (Eq. 13) in the proposal weights"; }
  int input_dim() const override { return m_; }
  int output_dim() const override { return 1; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 23);
    std::vector<float> in(static_cast<size_t>(n) * m_);
    for (float& x : in) x = 0.3f * rng.next_float();
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    std::vector<float> bound(n_);
    for (int k = 0; k < n; ++k)
      out[k] = proposal_loss(t_.data(), w_.data(), n_, T_.data(), in + static_cast<size_t>(k) * m_, m_, bound.data(),
                             1.f, nullptr);
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float*) const override {
    std::vector<float> bound(n_);
    for (int k = 0; k < n; ++k)
      proposal_loss(t_.data(), w_.data(), n_, T_.data(), in + static_cast<size_t>(k) * m_, m_, bound.data(), d_out[k],
                    d_in + static_cast<size_t>(k) * m_);
  }

 private:
  int n_, m_;
  std::vector<float> t_, T_, w_;
};

// The interval weights w_i = T_i alpha_i of n densities on fixed intervals (Eq. 5 of NeRF;
// interval_weights), with interval_weights_backward as the backward.
class IntervalWeightsProbe : public ModuleProbe {
 public:
  explicit IntervalWeightsProbe(int n) : n_(n) {
    Pcg32 rng(29, 7);
    edges_ = random_edges(n_, rng);
    for (float& e : edges_) e *= 3.f;
  }
  std::string name() const override {
    return "sampler (kind=proposal): densities -> interval weights w = T alpha (L_prop's path to the networks)";
  }
  int input_dim() const override { return n_; }
  int output_dim() const override { return n_; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 31);
    std::vector<float> in(static_cast<size_t>(n) * n_);
    for (float& x : in) x = 2.f * rng.next_float();
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    for (int k = 0; k < n; ++k)
      interval_weights(in + static_cast<size_t>(k) * n_, edges_.data(), n_, out + static_cast<size_t>(k) * n_);
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float*) const override {
    for (int k = 0; k < n; ++k) {
      const float* sigma = in + static_cast<size_t>(k) * n_;
      interval_weights_backward(sigma, edges_.data(), d_out + static_cast<size_t>(k) * n_, n_,
                                d_in + static_cast<size_t>(k) * n_);
    }
  }

 private:
  int n_;
  std::vector<float> edges_;
};

// One resampling step as a render takes it (no jitter): a ray's [t0, t1] and the weights of
// n stratified intervals over it -> the m + 1 edges of the next stage's intervals. Piecewise
// constant in the weights' bins, so not differentiated.
class ResamplingProbe : public ModuleProbe {
 public:
  ResamplingProbe(int n, int m) : n_(n), m_(m) {}
  std::string name() const override {
    return "sampler (kind=proposal): [t0, t1] and a stage's weights -> the next stage's interval edges";
  }
  int input_dim() const override { return 2 + n_; }
  int output_dim() const override { return m_ + 1; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    return ray_span_and_weights_examples(n, n_, seed);
  }
  void forward(const float* in, int n, float* out) const override {
    std::vector<float> edges(n_ + 1), u(m_), centers(m_);
    for (int k = 0; k < n; ++k) {
      const float* x = in + static_cast<size_t>(k) * input_dim();
      for (int i = 0; i <= n_; ++i) edges[i] = stratified_sample(x[0], x[1], i, n_, 0.f);
      resample_intervals(edges.data(), x + 2, n_, kFinePdfPadding, nullptr, m_, x[0], x[1], u.data(), centers.data(),
                         out + static_cast<size_t>(k) * output_dim());
    }
  }

 private:
  int n_, m_;
};

}  // namespace

ModuleProbes proposal_sampler_probes(const TrainConfig& c) {
  // The configured counts, capped so the finite-difference checks stay quick.
  const int np = std::min(c.sampler.proposal_samples, 24), nf = std::min(c.sampler.final_samples, 16);
  ModuleProbes out;
  out.push_back(std::make_unique<ProposalLossProbe>(nf, np));
  out.push_back(std::make_unique<IntervalWeightsProbe>(np));
  out.push_back(std::make_unique<ResamplingProbe>(np, nf));
  return out;
}

}  // namespace nerds
