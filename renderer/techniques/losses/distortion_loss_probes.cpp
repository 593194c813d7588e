#include "renderer/techniques/losses/distortion_loss_probes.h"

#include <string>
#include <vector>

#include "renderer/math/distortion_loss.h"
#include "renderer/math/rng.h"

namespace nerds {

namespace {

// One ray of kSamples densities on the range [1, 3], its samples evenly spaced with gaps
// between them (as a marcher leaves them), to the ray's weighted L_dist.
class DistortionLossProbe : public ModuleProbe {
 public:
  static constexpr int kSamples = 8;
  explicit DistortionLossProbe(float weight) : weight_(weight) {
    for (int i = 0; i < kSamples; ++i) {
      t_[i] = 1.f + (i + 0.5f) * 0.25f;
      dt_[i] = 0.2f;
    }
  }
  std::string name() const override { return "loss.distortion_weight (L_dist of one ray's densities)"; }
  int input_dim() const override { return kSamples; }
  int output_dim() const override { return 1; }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 16);
    std::vector<float> in(static_cast<size_t>(n) * kSamples);
    for (float& x : in) x = 8.f * rng.next_float();
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    float w[kSamples];
    for (int r = 0; r < n; ++r) {
      float T = 1.f;
      for (int i = 0; i < kSamples; ++i) w[i] = composite_step(in[r * kSamples + i], dt_[i], &T).weight;
      out[r] = weight_ * distortion_loss(w, t_, dt_, kSamples, kNear, kFar, nullptr);
    }
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float*) const override {
    float w[kSamples], d_w[kSamples];
    for (int r = 0; r < n; ++r) {
      for (int i = 0; i < kSamples; ++i) d_in[r * kSamples + i] = 0.f;
      ray_distortion_loss(in + r * kSamples, dt_, t_, kSamples, kNear, kFar, weight_ * d_out[r], w, d_w,
                          d_in + r * kSamples);
    }
  }

 private:
  static constexpr float kNear = 1.f, kFar = 3.f;
  float weight_;
  float t_[kSamples], dt_[kSamples];
};

}  // namespace

ModuleProbes distortion_loss_probes(const ParamSet& params, const Dataset&) {
  const float weight = static_cast<float>(params.get_float("loss.distortion_weight"));
  ModuleProbes probes;
  probes.push_back(std::make_unique<DistortionLossProbe>(weight > 0.f ? weight : 1.f));
  return probes;
}

}  // namespace nerds
