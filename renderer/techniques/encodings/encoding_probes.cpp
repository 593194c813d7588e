// The "encoding" module's probe: the position encoding the parameters select, computed by
// the backend's own functions (HashGrid for hash/dense, fixed_encode for frequency/none/ipe),
// so the registry tests check exactly what the trainer runs.
#include <memory>
#include <string>
#include <vector>

#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/fields/network_probes.h"

namespace nerds {

namespace {

const char* kind_name(EncodingKind kind) {
  switch (kind) {
    case EncodingKind::Hash:
      return "hash";
    case EncodingKind::Dense:
      return "dense";
    case EncodingKind::Frequency:
      return "frequency";
    case EncodingKind::Ipe:
      return "ipe";
    case EncodingKind::None:
      return "none";
  }
  return "?";
}

// Positions inside the unit cube, away from its faces.
std::vector<float> example_positions(int n, Pcg32& rng) {
  std::vector<float> p(static_cast<size_t>(n) * 3);
  for (float& v : p) v = 0.05f + 0.9f * rng.next_float();
  return p;
}

// hash / dense: trilinear interpolation of the levels' tables (Instant-NGP Eq. 2-4). Linear
// in the table, piecewise linear in the position (whose gradient nothing trains).
class GridEncodingProbe : public ModuleProbe {
 public:
  GridEncodingProbe(const NetworkConfig& config, uint64_t seed) : kind_(config.encoding), grid_(config.grid) {
    // Values of order 1 (the trainer starts at 1e-4), so that outputs and gradients show.
    Pcg32 rng(seed, 0x9e37);
    for (float& p : grid_.params()) p = rng.next_float() * 2.f - 1.f;
  }
  std::string name() const override { return std::string("encoding (kind=") + kind_name(kind_) + ")"; }
  int input_dim() const override { return 3; }
  int output_dim() const override { return grid_.output_dim(); }
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 0x51);
    return example_positions(n, rng);
  }
  void forward(const float* in, int n, float* out) const override { grid_.encode(in, n, out, output_dim()); }
  size_t param_count() const override { return grid_.param_count(); }
  float* params() override { return grid_.params().data(); }
  void backward(const float* in, const float* d_out, int n, float*, float* d_params) const override {
    if (!d_params) return;
    for (int l = 0; l < grid_.config().levels; ++l) grid_.backward_level(l, in, d_out, n, output_dim(), d_params);
  }

 private:
  EncodingKind kind_;
  HashGrid grid_;
};

// frequency / none / ipe: fixed functions of the position (ipe: and its variance).
class FixedEncodingProbe : public ModuleProbe {
 public:
  explicit FixedEncodingProbe(const NetworkConfig& config) : config_(config) {}
  std::string name() const override { return std::string("encoding (kind=") + kind_name(config_.encoding) + ")"; }
  int input_dim() const override { return ipe() ? 6 : 3; }
  int output_dim() const override { return frequency_encoding_width(config_.frequency); }
  // ipe: 3 mean coordinates, then 3 variances in [1e-3, 4e-3] (network units: a footprint of
  // a few hundredths of the box; small enough to leave the coarse frequencies undamped).
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 0x52);
    const std::vector<float> pos = example_positions(n, rng);
    if (!ipe()) return pos;
    std::vector<float> in(static_cast<size_t>(n) * 6);
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < 3; ++d) {
        in[6 * i + d] = pos[3 * i + d];
        in[6 * i + 3 + d] = 1e-3f + 3e-3f * rng.next_float();
      }
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    const int D = input_dim(), E = output_dim();
    for (int i = 0; i < n; ++i)
      fixed_encode(config_, in + D * i, ipe() ? in + D * i + 3 : nullptr, out + static_cast<size_t>(i) * E);
  }
  bool differentiable_inputs() const override { return true; }
  void backward(const float* in, const float* d_out, int n, float* d_in, float*) const override {
    if (!d_in) return;
    const int D = input_dim(), E = output_dim();
    for (int i = 0; i < n; ++i) {
      float* d = d_in + D * i;
      for (int k = 0; k < D; ++k) d[k] = 0.f;
      fixed_encode_backward(config_, in + D * i, ipe() ? in + D * i + 3 : nullptr, d_out + static_cast<size_t>(i) * E,
                            d, ipe() ? d + 3 : nullptr);
    }
  }

 private:
  bool ipe() const { return config_.encoding == EncodingKind::Ipe; }
  NetworkConfig config_;
};

}  // namespace

ModuleProbes encoding_probes(const ParamSet& params, const Dataset& data) {
  const NetworkConfig config = make_train_config(params, data).network;
  ModuleProbes probes;
  if (encoding_is_grid(config.encoding))
    probes.push_back(std::make_unique<GridEncodingProbe>(config, 2024));
  else
    probes.push_back(std::make_unique<FixedEncodingProbe>(config));
  return probes;
}

}  // namespace nerds
