// Plenoxels' sparse voxel grid (Fridovich-Keil, Yu et al. CVPR 2022, Sec. 3): density and
// spherical-harmonic colour coefficients at the nodes of an N^3 grid, only at the nodes that
// pruning kept, read by trilinear interpolation (Sec. 3.2; nearest node as the ablation's
// other arm, Table 5 of the paper). Layout as the official code's SparseGrid (svox2): an index
// grid `links` over all N^3 nodes (-1: no voxel there, else the voxel's row) and compact rows
// of the kept voxels' data; a missing node reads as zero.
// Output: [raw density, SH coefficients: K red, K green, K blue] (width 1 + 3 K, K =
// field.sh_degree^2: the paper's degree 2 is field.sh_degree = 3, 9 coefficients per channel,
// 27 per voxel); field.density = encoding reads the density (ReLU, Sec. 3.1) and field.color =
// sh makes the colour from the coefficients with no network.
// Tensors: "encoding.density" [M], "encoding.sh" [M, 3K] (optimizer group rmsprop, their
// learning rates svox2's schedules: PlenoxelsConfig), "encoding.links" [N, N, N] (the index,
// stored as floats: exact since M <= 2^24; never optimised: no gradient slice).
// Regularizer: total variation on the density and on the coefficients (Sec. 3.4, Eq. 4).
// Schedule: at each upsampling the grid is resampled to the next resolution (trilinearly) and
// the nodes away from any density are pruned (Sec. 3.5).
#pragma once

#include <cstdint>
#include <vector>

#include "renderer/techniques/encodings/position_encoding.h"
#include "renderer/techniques/plenoxels/plenoxels_config.h"

namespace nerds {

class PlenoxelsEncoding : public PositionEncoding {
 public:
  // sh_coefficients: K per colour channel.
  PlenoxelsEncoding(const PlenoxelsConfig& config, int sh_coefficients);

  const PlenoxelsConfig& config() const { return config_; }
  int resolution() const { return n_; }
  int sh_coefficients() const { return k_; }
  size_t voxels() const { return density_.size(); }
  // The row of node (i, j, k) (x, y, z), or -1 when the grid holds no voxel there.
  int64_t link(int i, int j, int k) const;
  const std::vector<float>& density() const { return density_; }
  std::vector<float>& density() { return density_; }
  std::vector<float>& sh() { return sh_; }
  const std::vector<float>& sh() const { return sh_; }

  int width() const override { return 1 + 3 * k_; }
  // Every node of the initial resolution a voxel (the code starts dense), density
  // init_density, coefficients 0 (the constructor starts so too).
  void initialize(uint64_t seed) override;
  void encode(const float* pos, const float* var, int n, float* out, int ld) const override;

  std::vector<ParamTensor> param_tensors() override;
  std::vector<GradientSlice> gradient_slices() const override;
  void backward_slice(int slice, const float* pos, const float* var, const float* d_enc, int n,
                      float* grad) const override;
  // Total variation (tv_term, plenoxels_kernels.h) on this step's cells: slice 0 the density's
  // (weight tv_density), slice 1 the coefficients' (tv_sh, every channel on its own).
  void add_regularizer_gradient(int slice, float* grad) const override;
  // The TV value over this step's cells (weights included): the density's, or the coefficients'.
  double tv_loss(bool sh) const;
  // Whether TV acts now: always, or with tv_early_only until the first upsampling.
  bool tv_active() const;
  // The cells (lower corner node, x fastest) whose TV this step adds: all the cells with a
  // node above them on each axis when tv_fraction >= 1, else that fraction of the grid's
  // cells drawn at random (the code's sparse_frac), anew at each step.
  std::vector<int64_t> tv_cells() const;
  // The upsampling schedule, the learning rates' progress and the TV cells' draw.
  bool follow_schedule(float progress) override;
  void adopt_shapes(const std::vector<ParamTensorInfo>& described) override;
  // Resamples the grid to n_new nodes per axis (trilinear reads of the current grid at the
  // new nodes) and keeps only the nodes within prune_dilation of a node whose density exceeds
  // prune_density (at most max_voxels, the densest).
  void resample(int n_new);

 private:
  // The grid's trilinear (or nearest) read at p: density (return value) and coefficients.
  float read(const float* p, float* sh, bool nearest) const;

  PlenoxelsConfig config_;
  int k_ = 9;
  int n_ = 0;
  float progress_ = 0.f;
  uint64_t round_ = 0;  // steps seen, for the TV cells' draw
  std::vector<float> links_, density_, sh_;
};

}  // namespace nerds
