// TensoRF's radiance-field encoding (Chen et al. ECCV 2022, Sec. 3-4): the density grid and the
// appearance-feature grid factorised into low-rank components, read at a position by linear
// interpolation of each factor (grid_taps.h).
//   VM (Eq. 3): component r of axis pair m: M_r^m(the plane's two coordinates) v_r^m(the
//     third); the code's pairs: plane XY with line Z, XZ with Y, YZ with X.
//   CP (Eq. 2): component r: v_r^X(x) v_r^Y(y) v_r^Z(z).
//   raw density sigma~(x) = the sum of the density components (Eq. 4-5);
//   appearance features S(x) = B [the appearance components] (Eq. 6: B is P x components).
// Output: [sigma~, S_1..S_P] (width 1 + P); field.density = encoding reads sigma~ (softplus
// with TensoRF's shift, density_activation.h) and feeds S to the colour MLP.
// Tensors ("encoding.<name>", factors laid out component-fastest so one interpolation reads
// contiguous memory): density_planes [3, N, N, R_s] and density_lines [3, N, R_s] (CP: lines
// only), appearance_planes [3, N, N, R_c], appearance_lines [3, N, R_c], basis [P, 3 R_c]
// (CP: [P, R_c]). The factors and B train with dense Adam (every entry moves, as PyTorch's);
// the factors at the grid learning rate (TensorfConfig::lr_factor times the schedule's), B at
// the network's (the code's lr_basis).
#pragma once

#include <vector>

#include "renderer/techniques/encodings/position_encoding.h"
#include "renderer/techniques/tensorf/tensorf_config.h"

namespace nerds {

class TensorfEncoding : public PositionEncoding {
 public:
  explicit TensorfEncoding(const TensorfConfig& config);

  const TensorfConfig& config() const { return config_; }
  int resolution() const { return n_; }
  bool is_vm() const { return config_.decomposition == TensorfDecomposition::VM; }

  int width() const override { return 1 + config_.appearance_features; }
  // The code's init_svd_volume: factors init_scale * N(0, 1); B as PyTorch's Linear,
  // uniform in +-1/sqrt(components).
  void initialize(uint64_t seed) override;
  void encode(const float* pos, const float* var, int n, float* out, int ld) const override;

  std::vector<ParamTensor> param_tensors() override;
  // One slice per tensor (each owns its whole tensor); a factor's gradient reads the factors
  // it multiplies, and the appearance factors' read B.
  bool slices_read_other_tensors() const override { return true; }
  std::vector<GradientSlice> gradient_slices() const override;
  void backward_slice(int slice, const float* pos, const float* var, const float* d_enc, int n,
                      float* grad) const override;
  // L1 on the density factors (the code's density_L1: per axis the mean |entry| of the plane
  // and of the line, summed), weight l1_weight: its subgradient.
  void add_regularizer_gradient(int slice, float* grad) const override;
  // The value of that L1 term (weight included), for tests and reports.
  double l1_loss() const;
  // The upsampling schedule: after the k-th fraction of upsample_at the resolution is
  // tensorf_resolution(config, k).
  bool follow_schedule(float progress) override;
  // The code's new optimizer at each upsampling (encoding.tensorf_lr_upsample_reset,
  // encoding.tensorf_optimizer_upsample_reset).
  OptimizerRestart schedule_restart() const override {
    return {config_.lr_upsample_reset, config_.optimizer_upsample_reset};
  }
  void adopt_shapes(const std::vector<ParamTensorInfo>& described) override;
  // Resamples every factor to n nodes per axis (bilinear planes, linear lines, the code's
  // upsample_volume_grid); B is kept.
  void resize(int n);

 private:
  int components_per_factor(bool density) const {
    return density ? config_.density_components : config_.appearance_components;
  }
  // Appearance components in all (B's columns).
  int appearance_columns() const { return (is_vm() ? 3 : 1) * config_.appearance_components; }
  // One sample's density (return value) and appearance components (into comps).
  float evaluate(const float* p, float* comps) const;

  TensorfConfig config_;
  int n_ = 0;
  std::vector<float> density_planes_, density_lines_, appearance_planes_, appearance_lines_, basis_;
};

}  // namespace nerds
