// DVGO's voxel grids as a position encoding (Sun, Sun, Chen, CVPR 2022, Sec. 3-5): a dense
// density grid V (one raw value per node) and a feature grid K (features per node), both read
// by trilinear interpolation inside a box of the scene (network coordinates), with the density
// activation after (post), before (pre) or between (in) the interpolation (dvgo_kernels.h).
// Output: [log sigma, K_1..K_F] (width 1 + F); field.density = encoding with trunc_exp makes
// sigma of the first, the rest feed the shallow colour MLP with the view direction.
// Two stages over one run (Sec. 5): the coarse grids over the whole box (coarse_resolution^3,
// alpha_init 1e-6, the view-count learning rate); at coarse_fraction of the run the box
// shrinks to the coarse geometry's (nodes with alpha > bbox_threshold, grown by
// world_bound_scale) and the fine grids start there from zero (alpha_init 1e-2) at
// fine_voxels / 2^4 voxels, doubled at each progressive-scaling step (the values resampled).
// Tensors: "encoding.density" [nz, ny, nx], "encoding.features" [nz, ny, nx, F] (Adam over
// every voxel in the coarse stage, only voxels with a gradient in the fine stage: the code's
// skip_zero_grad_fields, fine_train only), and the stage's state, which no gradient moves:
// "encoding.box" [2, 3] (the grids' box: lower, upper corner), "encoding.stage" [1]
// (0 coarse, 1 + k fine after k scalings) and "encoding.mask" [n, n, n] (the mask cache on the
// coarse nodes, n = coarse_resolution: 1 sampled, 0 known free space, as the code's MaskGrid:
// in the coarse stage the voxels seen by more than mask_min_views views, in the fine stage the
// 3x3x3 max-pooled coarse alpha at or above mask_cache_threshold).
#pragma once

#include <vector>

#include "renderer/techniques/dvgo/dvgo_config.h"
#include "renderer/techniques/encodings/position_encoding.h"

namespace nerds {

class DvgoEncoding : public PositionEncoding {
 public:
  explicit DvgoEncoding(const DvgoConfig& config);

  const DvgoConfig& config() const { return config_; }
  int nodes(int axis) const { return dims_[axis]; }
  bool fine() const { return stage_[0] >= 1.f; }
  const float* box() const { return box_.data(); }

  int width() const override { return 1 + config_.features; }
  // The code's DenseGrid: zeros (with the shift, alpha_init everywhere).
  void initialize(uint64_t seed) override;
  void encode(const float* pos, const float* var, int n, float* out, int ld) const override;

  std::vector<ParamTensor> param_tensors() override;
  std::vector<GradientSlice> gradient_slices() const override;
  void backward_slice(int slice, const float* pos, const float* var, const float* d_enc, int n,
                      float* grad) const override;
  // The coarse-to-fine schedule: the fine stage at coarse_fraction, its scalings after.
  bool follow_schedule(float progress) override;
  void adopt_shapes(const std::vector<ParamTensorInfo>& described) override;

  // The coarse geometry's box (network coordinates, before world_bound_scale): the bounds of
  // the nodes whose alpha over one voxel exceeds bbox_threshold (the code's
  // compute_bbox_by_coarse_geo); false (box untouched) when there is none.
  bool occupied_box(float lo[3], float hi[3]) const;
  // Moves to the fine stage at scaling level `level` (0..fine_scale_at.size()).
  void start_fine(int level);
  // The fine stage's mask cache from the coarse density (shift b_coarse), on the coarse nodes.
  void fine_mask(float b_coarse);
  // Resamples both grids to the node counts of fine level `level` (trilinear, align_corners).
  void scale_to(int level);

  // The softplus shift b of the current stage and its base voxel size (engine units): sigma =
  // softplus(raw + b) / base.
  float shift() const;
  float base_voxel() const;
  // The current node spacing (engine units): the sampling interval is step_voxels of it.
  float voxel_size() const;

 private:
  // The fine grid's nodes per axis for a voxel count inside the current box.
  void fine_dims(double voxels, int dims[3]) const;
  void set_dims(const int dims[3]);
  size_t node_count() const { return static_cast<size_t>(dims_[0]) * dims_[1] * dims_[2]; }
  // The point's grid coordinates in [0, 1]^3; false when outside the box.
  bool local(const float* p, float u[3]) const;
  // Whether the mask cache samples the point (network coordinates): the nearest mask node.
  bool sampled(const float* p) const;
  int fine_level_at(float progress) const;

  DvgoConfig config_;
  int dims_[3] = {2, 2, 2};  // nodes per axis x, y, z
  // mask_: the mask cache on the coarse grid's nodes over the scene box (1 sampled, 0 known
  // free space): the view-count mask in the coarse stage, the coarse geometry's in the fine.
  std::vector<float> density_, features_, box_, stage_, mask_;
};

}  // namespace nerds
