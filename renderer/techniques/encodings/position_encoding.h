// How positions enter the density MLP, as one interface over the encoding kinds (each in its
// own file beside this one, listed once in encoding_kinds.cpp): NerfNetwork holds one and
// never asks which kind it is. A kind maps n network positions in [0,1]^3 (with their
// footprints' variances, for the kinds that read them) to width() features each, and may
// train tensors of its own, whose backward it cuts into independent slices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "renderer/math/footprint_kind.h"
#include "renderer/model/optimizer_restart.h"
#include "renderer/model/param_tensor.h"

namespace nerds {

// One independent piece of an encoding's backward: the entries [begin, end) of tensor
// `tensor` (an index into the encoding's param_tensors()) that it alone writes, so a backend
// runs the slices in parallel without atomics and updates each while its gradient is in cache.
struct GradientSlice {
  int tensor = 0;
  size_t begin = 0, end = 0;
};

class PositionEncoding {
 public:
  virtual ~PositionEncoding() = default;

  // Features per position (the density MLP's input width).
  virtual int width() const = 0;
  // What encode() reads of the samples' footprints (footprint_kind.h): nothing, Mip-NeRF's
  // Gaussians (the IPE) or Zip-NeRF's points (the hash grid with encoding.zip_*).
  virtual FootprintKind footprint_kind() const { return FootprintKind::None; }
  bool uses_footprint() const { return footprint_kind() != FootprintKind::None; }
  // Draws the trained tensors' initial values (nothing for a fixed function).
  virtual void initialize(uint64_t seed) { (void)seed; }

  // Encodes n positions (3 floats each, [0,1]^3) into out, column-major (width() x n) with
  // leading dimension ld >= width(). var: each sample's footprint as footprint_kind() reads it
  // (footprint_width floats each: the IPE's Gaussian covariance diagonal in the same
  // coordinates, Zip-NeRF's points), or null for points; read only when uses_footprint().
  virtual void encode(const float* pos, const float* var, int n, float* out, int ld) const = 0;

  // Whether the encoding is smooth in its inputs (the fixed functions: frequency, ipe), so
  // that the registry's finite differences check backward_inputs(); a grid is only piecewise
  // smooth (position_gradient() below).
  virtual bool differentiable_inputs() const { return false; }
  // Whether backward_inputs() exists at all: the smooth kinds, and the grids, whose trilinear
  // interpolation is smooth inside each cell (BARF's pose refinement needs dL/dpos).
  virtual bool position_gradient() const { return differentiable_inputs(); }
  // Given dL/d(encoding) of n positions (column-major, leading dimension ld), accumulates
  // dL/dpos into d_pos (3 each), and dL/dvar into d_var when var and d_var are not null.
  virtual void backward_inputs(const float* pos, const float* var, const float* d_out, int n, int ld,
                               float* d_pos, float* d_var) const;

  // The trained tensors, named "encoding.<part>" (views of this encoding's storage); none
  // for a fixed function.
  virtual std::vector<ParamTensor> param_tensors() { return {}; }
  // The backward of those tensors cut into slices that write disjoint entries; empty when
  // there are none.
  virtual std::vector<GradientSlice> gradient_slices() const { return {}; }
  // Slice `slice` of that backward: accumulates into `grad` (the whole gradient of the
  // slice's tensor) what n samples at pos (with their footprints var, as encode() read them)
  // contribute through dL/d(encoding) d_enc (width() x n, column-major).
  virtual void backward_slice(int slice, const float* pos, const float* var, const float* d_enc, int n,
                              float* grad) const;

  // Whether a slice's backward reads tensors that other slices own (a factorised grid: a
  // plane's gradient reads its line), so that a backend must finish every slice's gradient
  // before it updates any tensor. The grids' levels are independent: false.
  virtual bool slices_read_other_tensors() const { return false; }
  // The explicit grids (TensoRF now; Plenoxels and DVGO on the same path): a regularizer of
  // the encoding's own tensors, its gradient added into slice `slice`'s gradient (the whole
  // tensor's, as backward_slice) once per step, before the optimizer reads it (TensoRF's L1
  // on the density factors). Nothing by default.
  virtual void add_regularizer_gradient(int slice, float* grad) const { (void)slice, (void)grad; }
  // A grid-resolution schedule over the run (progress in [0, 1]): resizes the tensors whose
  // resolution the schedule changes at `progress` (their values resampled, so the encoded
  // function stays the same) and says whether any did; the caller then restarts their
  // optimizer state (HostModel::fit_moments). Nothing by default.
  virtual bool follow_schedule(float progress) { (void)progress; return false; }
  // What else a resize by that schedule restarts (optimizer_restart.h: TensoRF's code builds a
  // new optimizer at its initial rate). Nothing by default.
  virtual OptimizerRestart schedule_restart() const { return {}; }
  // Resizes the tensors to the shapes a snapshot describes (a run saved after upsampling),
  // before their values are read; a shape the encoding cannot take is left to the snapshot
  // reader to refuse. Nothing by default.
  virtual void adopt_shapes(const std::vector<ParamTensorInfo>& described) { (void)described; }
};

}  // namespace nerds
