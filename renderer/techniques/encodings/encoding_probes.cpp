// The "encoding" module's probes: the position encoding the parameters select, built by its
// kind's factory (encoding_kinds.h) and run through the PositionEncoding interface, so the
// registry tests check exactly what the trainer runs, for every registered kind.
#include <memory>
#include <string>
#include <vector>

#include "renderer/math/rng.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/fields/network_probes.h"

namespace nerds {

namespace {

// One probe of an encoding: its inputs are positions in [0.05, 0.95]^3, followed by the
// footprint's variances for a kind that reads them; its parameters are one of its trained
// tensors (`tensor`, -1: none), set to values of order 1 (the trainer starts at 1e-4) so
// that outputs and gradients show.
class EncodingProbe : public ModuleProbe {
 public:
  // `encoding`: shared by the probes of one kind's tensors, its values already drawn.
  EncodingProbe(const std::string& kind, std::shared_ptr<PositionEncoding> encoding, int tensor)
      : kind_(kind), encoding_(std::move(encoding)), tensor_(tensor) {
    const std::vector<ParamTensor> tensors = encoding_->param_tensors();
    if (tensor_ >= 0) tensor_info_ = tensors[tensor_];
    several_tensors_ = tensors.size() > 1;
  }
  std::string name() const override {
    std::string s = "encoding (kind=" + kind_;
    if (several_tensors_) s += ", " + tensor_info_.name;
    return s + ")";
  }
  int input_dim() const override { return 3 + (footprint() ? footprint_width(encoding_->footprint_kind()) : 0); }
  int output_dim() const override { return encoding_->width(); }
  // Footprints: Gaussian: 3 variances in [1e-3, 4e-3] (network units: a few hundredths of the
  // box; small enough to leave the coarse frequencies undamped); Zip-NeRF's points: each
  // within 0.02 of the position, with scales in [1e-3, 2e-2] (from no downweighting of the
  // coarse levels to strong downweighting of the fine ones).
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 0x51);
    std::vector<float> pos(static_cast<size_t>(n) * 3);
    for (float& v : pos) v = 0.05f + 0.9f * rng.next_float();
    if (!footprint()) return pos;
    const int D = input_dim();
    const bool gaussian = encoding_->footprint_kind() == FootprintKind::Gaussian;
    std::vector<float> in(static_cast<size_t>(n) * D);
    for (int i = 0; i < n; ++i) {
      for (int d = 0; d < 3; ++d) in[D * i + d] = pos[3 * i + d];
      for (int k = 3; k < D; ++k) {
        const bool scale = !gaussian && (k - 3) % 4 == 3;
        in[D * i + k] = gaussian ? 1e-3f + 3e-3f * rng.next_float()
                        : scale  ? 1e-3f + 1.9e-2f * rng.next_float()
                                 : pos[3 * i + (k - 3) % 4] + 0.04f * (rng.next_float() - 0.5f);
      }
    }
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    std::vector<float> pos, var;
    split(in, n, pos, var);
    encoding_->encode(pos.data(), footprint() ? var.data() : nullptr, n, out, output_dim());
  }
  bool differentiable_inputs() const override { return encoding_->differentiable_inputs(); }
  size_t param_count() const override { return tensor_ >= 0 ? tensor_info_.size() : 0; }
  float* params() override { return tensor_ >= 0 ? tensor_info_.values : nullptr; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float* d_params) const override {
    std::vector<float> pos, var;
    split(in, n, pos, var);
    if (d_in && differentiable_inputs()) {
      std::vector<float> d_pos(pos.size(), 0.f), d_var(var.size(), 0.f);
      encoding_->backward_inputs(pos.data(), footprint() ? var.data() : nullptr, d_out, n, output_dim(), d_pos.data(),
                                 footprint() ? d_var.data() : nullptr);
      const int D = input_dim(), W = D - 3;
      for (int i = 0; i < n; ++i) {
        for (int d = 0; d < 3; ++d) d_in[D * i + d] = d_pos[3 * i + d];
        for (int k = 0; k < W; ++k) d_in[D * i + 3 + k] = d_var[static_cast<size_t>(W) * i + k];
      }
    }
    if (d_params && tensor_ >= 0) {
      const std::vector<GradientSlice> slices = encoding_->gradient_slices();
      for (size_t s = 0; s < slices.size(); ++s)
        if (slices[s].tensor == tensor_)
          encoding_->backward_slice(static_cast<int>(s), pos.data(), footprint() ? var.data() : nullptr, d_out, n,
                                    d_params);
    }
  }

 private:
  bool footprint() const { return encoding_->uses_footprint(); }
  // The inputs as positions (3 each) and footprints (footprint kinds only, W each).
  void split(const float* in, int n, std::vector<float>& pos, std::vector<float>& var) const {
    const int D = input_dim(), W = D - 3;
    pos.resize(static_cast<size_t>(n) * 3);
    var.resize(static_cast<size_t>(n) * W);
    for (int i = 0; i < n; ++i) {
      for (int d = 0; d < 3; ++d) pos[3 * i + d] = in[D * i + d];
      for (int k = 0; k < W; ++k) var[static_cast<size_t>(W) * i + k] = in[D * i + 3 + k];
    }
  }

  std::string kind_;
  std::shared_ptr<PositionEncoding> encoding_;
  int tensor_;
  ParamTensor tensor_info_;
  bool several_tensors_ = false;
};

}  // namespace

ModuleProbes encoding_probes(const ParamSet& params, const Dataset& data) {
  NetworkConfig config = make_train_config(params, data).network;
  // DVGO's coarse mask cache skips the points that few of the probe scene's views see (no
  // output, no gradient there): the probe checks the grids' function at every point.
  config.dvgo.coarse_seen.clear();
  std::shared_ptr<PositionEncoding> encoding = make_position_encoding(config);
  Pcg32 rng(2024, 0x9e37);
  const std::vector<ParamTensor> tensors = encoding->param_tensors();
  // A tensor with learning-rate factor 0 is state the optimizer never moves (DVGO's box and
  // stage, Plenoxels' index grid), saved with the model but not a parameter of the function: left as built, no probe.
  const auto trained = [](const ParamTensor& t) { return t.lr_factor != 0.f; };
  for (const ParamTensor& t : tensors)
    if (trained(t))
      for (size_t k = 0; k < t.size(); ++k) t.values[k] = rng.next_float() * 2.f - 1.f;
  // One probe per trained tensor (its parameters), or one of the fixed function.
  ModuleProbes probes;
  if (tensors.empty()) probes.push_back(std::make_unique<EncodingProbe>(config.encoding, encoding, -1));
  for (size_t t = 0; t < tensors.size(); ++t)
    if (trained(tensors[t])) probes.push_back(std::make_unique<EncodingProbe>(config.encoding, encoding, static_cast<int>(t)));
  return probes;
}

}  // namespace nerds
