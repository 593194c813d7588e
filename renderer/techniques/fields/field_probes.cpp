// The "field" module's probes: the density and the color MLP as configured (NeRF's skip
// connection included), run by the backend's Mlp. The weights live in one flat array, copied
// into the Mlp's matrices before each pass, so the registry tests can perturb them in place.
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "renderer/backend/mlp.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/fields/network_config.h"
#include "renderer/math/rng.h"
#include "renderer/math/sh.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/fields/network_probes.h"

namespace nerds {

namespace {

class MlpProbe : public ModuleProbe {
 public:
  // sh_degree > 0: the input ends with the SH encoding of a unit direction (the color MLP).
  MlpProbe(std::string name, const MlpConfig& config, int sh_degree, uint64_t seed)
      : name_(std::move(name)), sh_degree_(sh_degree), mlp_(config) {
    mlp_.initialize(seed);
    for (const Eigen::MatrixXf& w : mlp_.weights()) flat_.insert(flat_.end(), w.data(), w.data() + w.size());
  }
  std::string name() const override { return name_; }
  int input_dim() const override { return mlp_.config().inputs; }
  int output_dim() const override { return mlp_.config().outputs; }
  // Features in [-1, 1] (an encoding, geometry features), then SH(d) of a random unit d.
  std::vector<float> example_inputs(int n, uint64_t seed) const override {
    Pcg32 rng(seed, 0x53);
    const int D = input_dim(), S = sh_degree_ * sh_degree_;
    std::vector<float> in(static_cast<size_t>(n) * D);
    for (int i = 0; i < n; ++i) {
      float* x = in.data() + static_cast<size_t>(i) * D;
      for (int k = 0; k < D - S; ++k) x[k] = rng.next_float() * 2.f - 1.f;
      if (S == 0) continue;
      float d[3], len = 0.f;
      do {
        for (float& c : d) c = rng.next_float() * 2.f - 1.f;
        len = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      } while (len < 0.1f || len > 1.f);
      sh_encode(d[0] / len, d[1] / len, d[2] / len, sh_degree_, x + D - S);
    }
    return in;
  }
  void forward(const float* in, int n, float* out) const override {
    load_weights();
    std::vector<std::vector<float>> hidden;
    std::vector<float*> ptrs;
    hidden_buffers(n, hidden, ptrs);
    mlp_.forward(in, input_dim(), n, ptrs.data(), out, output_dim());
  }
  bool differentiable_inputs() const override { return true; }
  size_t param_count() const override { return flat_.size(); }
  float* params() override { return flat_.data(); }
  void backward(const float* in, const float* d_out, int n, float* d_in, float* d_params) const override {
    load_weights();
    std::vector<std::vector<float>> hidden;
    std::vector<float*> ptrs;
    hidden_buffers(n, hidden, ptrs);
    std::vector<float> out(static_cast<size_t>(output_dim()) * n);
    mlp_.forward(in, input_dim(), n, ptrs.data(), out.data(), output_dim());
    std::vector<Eigen::MatrixXf> grads = mlp_.zero_like();
    std::vector<float> scratch0(static_cast<size_t>(mlp_.config().hidden) * n), scratch1(scratch0.size());
    mlp_.backward(in, input_dim(), n, ptrs.data(), d_out, d_in, input_dim(), input_dim(), grads, scratch0.data(),
                  scratch1.data());
    if (!d_params) return;
    size_t i = 0;
    for (const Eigen::MatrixXf& g : grads)
      for (Eigen::Index k = 0; k < g.size(); ++k) d_params[i++] += g.data()[k];
  }
  // ReLU kinks: a finite difference that crosses one sees a different linear piece.
  double gradient_tolerance() const override { return 5e-2; }
  // Inputs of order 1 through up to 9 float layers: smaller steps drown in rounding.
  float finite_difference_step() const override { return 1e-3f; }

 private:
  void load_weights() const {
    size_t i = 0;
    for (Eigen::MatrixXf& w : mlp_.weights())
      for (Eigen::Index k = 0; k < w.size(); ++k) w.data()[k] = flat_[i++];
  }
  void hidden_buffers(int n, std::vector<std::vector<float>>& hidden, std::vector<float*>& ptrs) const {
    for (int k = 0; k < mlp_.config().hidden_layers; ++k) {
      hidden.emplace_back(static_cast<size_t>(mlp_.config().hidden) * n);
      ptrs.push_back(hidden.back().data());
    }
  }

  std::string name_;
  int sh_degree_;
  mutable Mlp mlp_;  // scratch: the weights are flat_'s, copied in before each pass
  std::vector<float> flat_;
};

std::string shape_name(const char* which, const MlpConfig& c) {
  std::string s = std::string("field: ") + which + " MLP (" + std::to_string(c.inputs) + " -> " +
                  std::to_string(c.hidden_layers) + "x" + std::to_string(c.hidden) + " -> " + std::to_string(c.outputs);
  if (c.skip_layer > 0) s += ", input joins after layer " + std::to_string(c.skip_layer);
  return s + ")";
}

}  // namespace

ModuleProbes field_probes(const ParamSet& params, const Dataset& data) {
  NetworkConfig c = make_train_config(params, data).network;
  // The explicit grids (field.density = encoding): no density MLP, the encoding's outputs are
  // the colour MLP's geometry features, as NerfNetwork builds it.
  const bool density_mlp = !network_density_from_encoding(c);
  if (!density_mlp) c.geo_features = position_encoding_width(c);
  const MlpConfig density{position_encoding_width(c), c.density_hidden, c.density_layers, c.geo_features,
                          c.density_skip_layer};
  const MlpConfig color{network_color_input_width(c), c.color_hidden, c.color_layers, 3};
  ModuleProbes probes;
  if (density_mlp) probes.push_back(std::make_unique<MlpProbe>(shape_name("density", density), density, 0, 11));
  if (network_uses_ref_nerf(c))
    probes.push_back(ref_nerf_head_probe(c));
  else
    probes.push_back(std::make_unique<MlpProbe>(shape_name("color", color), color, c.sh_degree, 12));
  return probes;
}

}  // namespace nerds
