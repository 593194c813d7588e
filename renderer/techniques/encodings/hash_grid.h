// The hash-grid encoding's storage and its batched CPU kernels. The per-point formulas live
// in renderer/math/hash_grid.h; this file owns the parameter table and runs them over batches.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "renderer/math/hash_grid.h"
#include "renderer/model/param_tensor.h"

namespace nerds {

struct HashGridConfig {
  int levels = 16;              // L
  int features = 2;             // F per level
  int log2_table_size = 19;     // log2 T
  int base_resolution = 16;     // N_min
  float max_resolution = 2048;  // N_max (instant-ngp: 2048 * aabb_scale for NeRF)
  // Every level 1:1, whatever its size (Instant-NGP's "multiresolution dense grid" ablation,
  // Fig. 2/3): log2_table_size is then unused and level l holds (N_l + 1)^3 entries.
  bool all_dense = false;
  // Zip-NeRF's anti-aliased grid (Barron et al. 2023; renderer/math/zip_hash_grid.h), hash
  // kind only: each level's features downweighted by erf(1 / (sqrt(8) sigma n_l)), and each
  // sample's frustum taken as 6 multisamples instead of its point. Both off: point samples.
  bool zip_downweight = false;
  bool zip_multisample = false;
};

// The finest resolution a grid may have: 2^24 cells a side, a float's precision in [0,1].
constexpr float kMaxHashResolution = 16777216.f;

// The levels' resolutions, table sizes and offsets for a configuration, without allocating
// the table (so a caller can refuse a size before it is allocated). Throws
// std::invalid_argument for levels/features out of range or more than 2^32 entries, and
// InputError (naming encoding.max_resolution) for a finest resolution outside
// [base_resolution, kMaxHashResolution].
HashGridView hash_grid_layout(const HashGridConfig& config);
// Parameters (entries times features) of a layout.
size_t hash_grid_param_count(const HashGridView& layout);

class HashGrid {
 public:
  HashGrid() = default;
  explicit HashGrid(const HashGridConfig& config);

  const HashGridConfig& config() const { return config_; }
  const HashGridView& view() const { return view_; }
  int output_dim() const { return config_.levels * config_.features; }
  size_t param_count() const { return params_.size(); }
  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }
  // The feature table as a trained tensor called `name`: [entries, features], row-major, in
  // the sparse optimizer group (a step touches few entries; Adam leaves the others alone).
  ParamTensor param_tensor(const std::string& name);

  // Instant-NGP's initialization: uniform in [-1e-4, 1e-4].
  void initialize(uint64_t seed);

  // Encodes n points (pos: 3 floats each, in [0,1]^3) into out, a column-major
  // (output_dim x n) matrix with leading dimension ld (>= output_dim).
  void encode(const float* pos, int n, float* out, int ld) const;
  // One level of encode(): n points' features at `level` into out (F values per point, point
  // after point), by the same kernel.
  void encode_one_level(int level, const float* pos, int n, float* out) const;

  // Scatters dL/d(encoding) of n points (column-major, leading dimension ld) into d_params
  // for one level. Levels own disjoint ranges of d_params, so levels may run in parallel.
  void backward_level(int level, const float* pos, const float* d_out, int n, int ld, float* d_params) const;

  // Zip-NeRF's encode and backward_level (zip_hash_grid.h): n samples of K points each
  // (points: 4K floats per sample, x y z sigma), downweighted when config().zip_downweight.
  void encode_zip(const float* points, int K, int n, float* out, int ld) const;
  void backward_level_zip(int level, const float* points, int K, const float* d_out, int n, int ld,
                          float* d_params) const;

 private:
  HashGridConfig config_;
  HashGridView view_;
  std::vector<float> params_;
};

}  // namespace nerds
