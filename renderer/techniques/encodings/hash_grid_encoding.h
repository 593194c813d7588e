// The multiresolution hash encoding (Müller et al. 2022, Instant-NGP, Sec. 3, Eq. 2-4): L
// levels of F trainable features, each level's grid corners hashed into a table of T entries
// (or indexed 1:1 when the level is small enough, and always for the dense kind), read by
// trilinear interpolation. The table and its batched kernels are HashGrid (hash_grid.h); the
// per-point formulas renderer/math/hash_grid.h.
#pragma once

#include "renderer/techniques/core/params.h"
#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/techniques/encodings/position_encoding.h"
#include "renderer/techniques/fields/network_config.h"

namespace nerds {

class HashGridEncoding : public PositionEncoding {
 public:
  explicit HashGridEncoding(const HashGridConfig& config) : grid_(config) {}

  HashGrid& grid() { return grid_; }
  const HashGrid& grid() const { return grid_; }

  int width() const override { return grid_.output_dim(); }
  // Instant-NGP's initialization of the table: uniform in [-1e-4, 1e-4].
  void initialize(uint64_t seed) override { grid_.initialize(seed); }
  // Zip-NeRF's anti-aliased grid (HashGridConfig::zip_*): its points as the footprint.
  FootprintKind footprint_kind() const override;
  void encode(const float* pos, const float* var, int n, float* out, int ld) const override;
  // The trilinear interpolation's derivative in the position (point samples only: not with
  // the zip_* footprints), for BARF's pose refinement; piecewise smooth, so
  // differentiable_inputs() stays false (the registry's finite differences would cross cell faces).
  bool position_gradient() const override { return footprint_kind() == FootprintKind::None; }
  void backward_inputs(const float* pos, const float* var, const float* d_out, int n, int ld, float* d_pos,
                       float* d_var) const override;
  // The table ("encoding.grid"), in the sparse optimizer group.
  std::vector<ParamTensor> param_tensors() override;
  // One slice per level: the levels own disjoint ranges of the table.
  std::vector<GradientSlice> gradient_slices() const override;
  void backward_slice(int slice, const float* pos, const float* var, const float* d_enc, int n,
                      float* grad) const override;

 private:
  HashGrid grid_;
};

// The grid of an encoding that is a hash or dense grid (tests and inspection read or set its
// table); std::invalid_argument for any other kind.
HashGrid& grid_of(PositionEncoding& encoding);
const HashGrid& grid_of(const PositionEncoding& encoding);

// The grid parameters the hash and dense kinds share (levels, features, base_resolution),
// declared once whichever kind declares them first, and their reading into config.grid.
void declare_grid_levels(ParamSet& params);
void configure_grid_levels(const ParamSet& params, HashGridConfig& grid);
// levels x features, the grid kinds' width.
int grid_encoding_width(const NetworkConfig& config);

}  // namespace nerds
