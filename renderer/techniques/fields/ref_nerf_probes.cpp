// The probe of Ref-NeRF's colour head (field.color = ref_nerf; ref_nerf_head.h) for the
// registry tests: geometry features f -> [rgb, n'] through the linear head, the IDE of the
// reflected direction, the colour MLP and the tone map, with each sample's view direction a
// fixed function of its index. The output n' carries the normal regularizers' gradient path
// (RefHeadBuffers::d_normal). Differentiable in f, the head's weights and the colour MLP's.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "renderer/backend/mlp.h"
#include "renderer/math/activations.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/fields/network_probes.h"
#include "renderer/techniques/fields/ref_nerf_head.h"

namespace nerds {

namespace {

class RefNerfHeadProbe : public ModuleProbe {
 public:
  explicit RefNerfHeadProbe(const NetworkConfig& c)
      : head_(c.geo_features, c.ide_degree),
        mlp_({network_color_input_width(c), c.color_hidden, c.color_layers, 3}),
        width_(network_color_input_width(c)) {
    head_.initialize(21);
    mlp_.initialize(22);
    flat_.assign(head_.weights().data(), head_.weights().data() + head_.weights().size());
    for (const Eigen::MatrixXf& w : mlp_.weights()) flat_.insert(flat_.end(), w.data(), w.data() + w.size());
  }
  std::string name() const override {
    return "field: Ref-NeRF colour head (" + std::to_string(head_.geo_features()) + " features -> rgb, n'; IDE " +
           std::to_string(head_.ide_width()) + " wide)";
  }
  int input_dim() const override { return head_.geo_features(); }
  int output_dim() const override { return 6; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 0x7ef);
    std::vector<float> in(static_cast<size_t>(n) * input_dim());
    for (float& x : in) x = rng.next_float() * 2.f - 1.f;
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    Pass p = run(in, n);
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < 3; ++k) {
        out[6 * i + k] = p.rgb[3 * i + k];
        out[6 * i + 3 + k] = p.b.normal[3 * i + k];
      }
  }
  bool differentiable_inputs() const override { return true; }
  size_t param_count() const override { return flat_.size(); }
  float* params() override { return flat_.data(); }
  void backward(const float* in, const float* d_out, int n, float* d_in, float* d_params) const override {
    Pass p = run(in, n);
    std::vector<float> d_rgb(3 * static_cast<size_t>(n)), d_spec(3 * static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < 3; ++k) {
        d_rgb[3 * i + k] = d_out[6 * i + k];
        p.b.d_normal[3 * i + k] = d_out[6 * i + 3 + k];
      }
    head_.finish_backward(d_rgb.data(), p.spec.data(), p.color_in.data(), width_, n, p.b, d_spec.data());
    std::vector<Eigen::MatrixXf> mlp_grads = mlp_.zero_like();
    std::vector<float> s0(static_cast<size_t>(mlp_.config().hidden) * n), s1(s0.size());
    mlp_.backward(p.color_in.data(), width_, n, p.ptrs.data(), d_spec.data(), p.b.d_color_in.data(), width_, width_,
                  mlp_grads, s0.data(), s1.data());
    const int G = head_.geo_features();
    std::vector<float> d_f(static_cast<size_t>(G) * n);
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < G; ++k) d_f[static_cast<size_t>(i) * G + k] = p.b.d_color_in[static_cast<size_t>(i) * width_ + k];
    Eigen::MatrixXf head_grad = Eigen::MatrixXf::Zero(head_.weights().rows(), head_.weights().cols());
    head_.encode_backward(d_rgb.data(), p.spec.data(), p.color_in.data(), width_, n, p.b, head_grad, d_f.data(), G);
    if (d_in) std::copy(d_f.begin(), d_f.end(), d_in);
    if (!d_params) return;
    size_t i = 0;
    for (Eigen::Index k = 0; k < head_grad.size(); ++k) d_params[i++] += head_grad.data()[k];
    for (const Eigen::MatrixXf& g : mlp_grads)
      for (Eigen::Index k = 0; k < g.size(); ++k) d_params[i++] += g.data()[k];
  }
  // ReLU kinks, the tone map's clip and its sRGB knee.
  double gradient_tolerance() const override { return 5e-2; }
  float finite_difference_step() const override { return 1e-3f; }

 private:
  struct Pass {
    RefHeadBuffers b;
    std::vector<float> color_in, spec, rgb;
    std::vector<std::vector<float>> hidden;
    std::vector<float*> ptrs;
  };
  // A unit view direction per sample index.
  static void direction(int i, float* d) {
    const float a = 0.7f * i + 0.3f, b = 1.3f * i + 0.5f;
    d[0] = std::cos(a) * std::sin(b);
    d[1] = std::sin(a) * std::sin(b);
    d[2] = std::cos(b);
  }
  Pass run(const float* in, int n) const {
    size_t i = 0;
    for (Eigen::Index k = 0; k < head_.weights().size(); ++k) head_.weights().data()[k] = flat_[i++];
    for (Eigen::MatrixXf& w : mlp_.weights())
      for (Eigen::Index k = 0; k < w.size(); ++k) w.data()[k] = flat_[i++];
    Pass p;
    const int G = head_.geo_features();
    p.b.reserve(n, width_);
    p.color_in.assign(static_cast<size_t>(width_) * n, 0.f);
    for (int s = 0; s < n; ++s)
      for (int k = 0; k < G; ++k) p.color_in[static_cast<size_t>(s) * width_ + k] = in[static_cast<size_t>(s) * G + k];
    std::vector<float> dir(3 * static_cast<size_t>(n));
    for (int s = 0; s < n; ++s) direction(s, dir.data() + 3 * s);
    head_.encode(dir.data(), n, p.color_in.data(), width_, p.b);
    for (int k = 0; k < mlp_.config().hidden_layers; ++k) {
      p.hidden.emplace_back(static_cast<size_t>(mlp_.config().hidden) * n);
      p.ptrs.push_back(p.hidden.back().data());
    }
    p.spec.resize(3 * static_cast<size_t>(n));
    p.rgb.resize(3 * static_cast<size_t>(n));
    mlp_.forward(p.color_in.data(), width_, n, p.ptrs.data(), p.spec.data(), 3);
    for (float& s : p.spec) s = sigmoid(s);
    head_.finish(p.spec.data(), n, p.color_in.data(), width_, p.b, p.rgb.data());
    return p;
  }

  mutable RefNerfHead head_;  // scratch: the weights are flat_'s, copied in before each pass
  mutable Mlp mlp_;
  int width_;
  std::vector<float> flat_;
};

}  // namespace

std::unique_ptr<ModuleProbe> ref_nerf_head_probe(const NetworkConfig& config) {
  return std::make_unique<RefNerfHeadProbe>(config);
}

}  // namespace nerds
