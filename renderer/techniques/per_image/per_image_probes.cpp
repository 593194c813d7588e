#include "renderer/techniques/per_image/per_image_probes.h"

#include <memory>
#include <string>
#include <vector>

#include "renderer/math/rng.h"
#include "renderer/math/transient_compositing.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/fields/nerf_network.h"

namespace nerds {

namespace {

constexpr int kProbeImages = 8;  // sample i belongs to image i % 8

// The probes' samples' images: sample i in image i % kProbeImages.
std::vector<int> images(int n) {
  std::vector<int> im(n);
  for (int i = 0; i < n; ++i) im[i] = i % kProbeImages;
  return im;
}

std::vector<float> random_floats(size_t n, uint64_t seed, float lo, float hi) {
  Pcg32 rng(seed, 23);
  std::vector<float> out(n);
  for (float& x : out) x = lo + (hi - lo) * rng.next_float();
  return out;
}

// The color stage on given geometry features, each sample reading its image's appearance code
// (none for appearance.kind=none): inputs the geometry features, parameters the codes.
class AppearanceColorProbe : public ModuleProbe {
 public:
  explicit AppearanceColorProbe(NetworkConfig config) : network_([&] {
      config.appearance.images = config.appearance.dim > 0 ? kProbeImages : 0;
      return config;
    }()) {
    network_.initialize(5);
    if (network_.appearance().dim() > 0) {
      std::vector<ParamTensor> tensors = network_.param_tensors();
      codes_ = tensors[find_tensor(tensors, kAppearanceEmbeddingsTensor)];
      const std::vector<float> v = random_floats(codes_.size(), 9, -1.f, 1.f);
      std::copy(v.begin(), v.end(), codes_.values);
    }
  }
  std::string name() const override {
    return "color MLP with appearance codes (dim=" + std::to_string(network_.appearance().dim()) + ")";
  }
  int input_dim() const override { return network_.config().geo_features; }
  int output_dim() const override { return 3; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    return random_floats(static_cast<size_t>(n) * input_dim(), seed, -1.f, 1.f);
  }
  void forward(const float* in, int n, float* out) const override { run(in, n, out); }
  bool differentiable_inputs() const override { return true; }
  size_t param_count() const override { return codes_.values ? codes_.size() : 0; }
  float* params() override { return codes_.values; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float* d_params) const override {
    std::vector<float> rgb(3 * static_cast<size_t>(n));
    run(in, n, rgb.data());
    NetworkGradients grads = network_.make_gradients();
    grads.set_zero();
    network_.color_backward(ws_, n, d_out, grads, images(n).data());
    const int G = input_dim();
    for (size_t k = 0; k < static_cast<size_t>(n) * G; ++k) d_in[k] = ws_.d_color_in[k];
    if (d_params)
      for (size_t k = 0; k < param_count(); ++k) d_params[k] += grads.appearance[k];
  }
  double gradient_tolerance() const override { return 5e-2; }  // ReLU kinks

 private:
  void run(const float* in, int n, float* out) const {
    network_.reserve(ws_, n);
    const int G = input_dim(), C = network_.color_input_dim();
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < G; ++k) ws_.color_in[static_cast<size_t>(i) * C + k] = in[static_cast<size_t>(i) * G + k];
    const std::vector<float> dir = [&] {
      std::vector<float> d(3 * static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) {
        d[3 * i] = 0.6f, d[3 * i + 1] = 0.f, d[3 * i + 2] = 0.8f;
      }
      return d;
    }();
    network_.color(dir.data(), n, ws_, out, images(n).data());
  }
  NerfNetwork network_;
  ParamTensor codes_;
  mutable NetworkWorkspace ws_;
};

// The transient head on given geometry features (sample i in image i % 8): sigma^tau, c^tau,
// beta; parameters its MLP's weights and the codes.
class TransientHeadProbe : public ModuleProbe {
 public:
  TransientHeadProbe(TransientConfig config, int geo_features) : geo_(geo_features) {
    config.enabled = true;
    config.images = kProbeImages;
    head_ = TransientHead(config, geo_features);
    head_.initialize(3);
    for (const ParamTensor& t : head_.param_tensors()) tensors_.push_back(t);
    for (const ParamTensor& t : tensors_) count_ += t.size();
    // The codes start at zero: random ones, so that their gradients are exercised too.
    ParamTensor& codes = tensors_.back();
    const std::vector<float> v = random_floats(codes.size(), 4, -1.f, 1.f);
    std::copy(v.begin(), v.end(), codes.values);
    flat_.resize(count_);
  }
  std::string name() const override { return "transient head (sigma^tau, c^tau, beta)"; }
  int input_dim() const override { return geo_; }
  int output_dim() const override { return 5; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    return random_floats(static_cast<size_t>(n) * geo_, seed, -1.f, 1.f);
  }
  void forward(const float* in, int n, float* out) const override {
    pull();
    std::vector<float> sigma(n), rgb(3 * static_cast<size_t>(n)), beta(n);
    head_.forward(in, geo_, images(n).data(), n, ws_, sigma.data(), rgb.data(), beta.data());
    for (int i = 0; i < n; ++i) {
      out[5 * i] = sigma[i];
      for (int c = 0; c < 3; ++c) out[5 * i + 1 + c] = rgb[3 * i + c];
      out[5 * i + 4] = beta[i];
    }
  }
  bool differentiable_inputs() const override { return true; }
  size_t param_count() const override { return count_; }
  float* params() override { return flat_.data(); }
  void backward(const float* in, const float* d_out, int n, float* d_in, float* d_params) const override {
    std::vector<float> out(5 * static_cast<size_t>(n));
    forward(in, n, out.data());
    std::vector<float> ds(n), drgb(3 * static_cast<size_t>(n)), db(n);
    for (int i = 0; i < n; ++i) {
      ds[i] = d_out[5 * i];
      for (int c = 0; c < 3; ++c) drgb[3 * i + c] = d_out[5 * i + 1 + c];
      db[i] = d_out[5 * i + 4];
    }
    for (size_t k = 0; k < static_cast<size_t>(n) * geo_; ++k) d_in[k] = 0.f;
    TransientGradients grads = head_.make_gradients();
    grads.set_zero();
    head_.backward(ws_, images(n).data(), n, ds.data(), drgb.data(), db.data(), d_in, geo_, grads);
    if (!d_params) return;
    size_t offset = 0;
    const std::vector<float*> g = head_.gradients(grads);
    for (size_t t = 0; t < tensors_.size(); ++t) {
      for (size_t k = 0; k < tensors_[t].size(); ++k) d_params[offset + k] += g[t][k];
      offset += tensors_[t].size();
    }
  }
  double gradient_tolerance() const override { return 5e-2; }  // ReLU kinks

 private:
  // The flat parameter vector the test perturbs, into the head's tensors (first call: from them).
  void pull() const {
    size_t offset = 0;
    for (const ParamTensor& t : tensors_) {
      if (!initialized_) std::copy(t.values, t.values + t.size(), flat_.data() + offset);
      std::copy(flat_.data() + offset, flat_.data() + offset + t.size(), t.values);
      offset += t.size();
    }
    initialized_ = true;
  }
  int geo_;
  TransientHead head_;
  std::vector<ParamTensor> tensors_;
  size_t count_ = 0;
  mutable std::vector<float> flat_;
  mutable bool initialized_ = false;
  mutable TransientWorkspace ws_;
};

// Eq. 10-13 on one ray of kSamples samples: inputs per sample sigma, c (3), sigma^tau,
// c^tau (3), beta (9 numbers); the output is the ray's loss against a fixed target.
class TransientLossProbe : public ModuleProbe {
 public:
  static constexpr int kSamples = 6, kPer = 9;
  TransientLossProbe(float beta_min, float density_weight) : beta_min_(beta_min), weight_(density_weight) {}
  std::string name() const override { return "transient compositing and Eq. 13's loss (one ray)"; }
  int input_dim() const override { return kSamples * kPer; }
  int output_dim() const override { return 1; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    std::vector<float> in = random_floats(static_cast<size_t>(n) * input_dim(), seed, 0.05f, 0.95f);
    for (size_t k = 0; k < in.size(); ++k)
      if (k % kPer == 0 || k % kPer == 4) in[k] *= 4.f;  // densities in [0.2, 3.8]
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    for (int r = 0; r < n; ++r) out[r] = ray(in + static_cast<size_t>(r) * input_dim(), nullptr);
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float*) const override {
    for (int r = 0; r < n; ++r) {
      float g[kSamples * kPer];
      ray(in + static_cast<size_t>(r) * input_dim(), g);
      for (int k = 0; k < input_dim(); ++k) d_in[static_cast<size_t>(r) * input_dim() + k] = d_out[r] * g[k];
    }
  }

 private:
  float ray(const float* x, float* grad) const {
    float sigma[kSamples], rgb[3 * kSamples], st[kSamples], rgbt[3 * kSamples], beta[kSamples], dt[kSamples];
    for (int i = 0; i < kSamples; ++i) {
      const float* s = x + i * kPer;
      sigma[i] = s[0];
      st[i] = s[4];
      beta[i] = s[8];
      dt[i] = 0.3f;
      for (int c = 0; c < 3; ++c) rgb[3 * i + c] = s[1 + c], rgbt[3 * i + c] = s[5 + c];
    }
    const float bg[3] = {1.f, 1.f, 1.f}, target[3] = {0.2f, 0.5f, 0.7f};
    float ds[kSamples], drgb[3 * kSamples], dst[kSamples], drgbt[3 * kSamples], db[kSamples];
    const float loss = transient_ray_loss(sigma, rgb, st, rgbt, beta, dt, kSamples, bg, target, beta_min_, weight_, 1.f,
                                          ds, drgb, dst, drgbt, db);
    if (grad)
      for (int i = 0; i < kSamples; ++i) {
        float* g = grad + i * kPer;
        g[0] = ds[i];
        g[4] = dst[i];
        g[8] = db[i];
        for (int c = 0; c < 3; ++c) g[1 + c] = drgb[3 * i + c], g[5 + c] = drgbt[3 * i + c];
      }
    return loss;
  }
  float beta_min_, weight_;
};

}  // namespace

ModuleProbes appearance_probes(const ParamSet& params, const Dataset& data) {
  const TrainConfig config = make_train_config(params, data);
  ModuleProbes probes;
  probes.push_back(std::make_unique<AppearanceColorProbe>(config.network));
  return probes;
}

ModuleProbes transient_probes(const ParamSet& params, const Dataset& data) {
  const TrainConfig config = make_train_config(params, data);
  const TransientConfig& t = config.network.transient;
  ModuleProbes probes;
  probes.push_back(std::make_unique<TransientLossProbe>(t.beta_min, t.density_weight));
  probes.push_back(std::make_unique<TransientHeadProbe>(t, config.network.geo_features));
  return probes;
}

}  // namespace nerds
