#include "renderer/techniques/encodings/hash_grid.h"

#include "renderer/math/zip_hash_grid.h"

#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "renderer/math/rng.h"

namespace nerds {

HashGridView hash_grid_layout(const HashGridConfig& config) {
  if (config.levels < 1 || config.levels > kMaxHashLevels) throw std::invalid_argument("hash grid: levels out of range");
  if (config.features != 1 && config.features != 2 && config.features != 4 && config.features != 8)
    throw std::invalid_argument("hash grid: features per level must be 1, 2, 4 or 8");
  // A level's resolution is a uint32 and its dense size (N+1)^3 a uint64; past 2^24 cells a
  // side, a float position in [0,1] cannot even tell neighbouring cells apart. Refuse here, not
  // only where aabb_scale is read, so that no caller lays out an overflowing level.
  if (!(config.base_resolution >= 1 && config.max_resolution >= config.base_resolution &&
        config.max_resolution <= kMaxHashResolution))
    throw InputError("", "encoding.max_resolution",
                     "the finest level's resolution N_max = " + json_fields::number_text(config.max_resolution) +
                         " (the parameter times the dataset's aabb_scale) must lie in [encoding.base_resolution = " +
                         std::to_string(config.base_resolution) + ", 2^24]");
  HashGridView view;
  view.n_levels = config.levels;
  view.n_features = config.features;
  const uint64_t T = uint64_t{1} << config.log2_table_size;
  // Per-level growth factor b (Eq. 3), in the log2 form tiny-cuda-nn uses.
  const double log2_b = config.levels > 1
                            ? std::log2(config.max_resolution / config.base_resolution) / (config.levels - 1)
                            : 0.0;
  uint64_t offset = 0;
  for (int l = 0; l < config.levels; ++l) {
    HashGridLevel& lv = view.levels[l];
    lv.scale = static_cast<float>(std::exp2(l * log2_b) * config.base_resolution - 1.0);
    lv.resolution = static_cast<uint32_t>(std::ceil(lv.scale)) + 1;
    const uint64_t side = lv.resolution + 1;  // corner coordinates run 0..resolution
    // (N+1)^3, saturated past 2^21 a side, where it would overflow 64 bits (and fit no table).
    const uint64_t dense_size = side <= (uint64_t{1} << 21) ? side * side * side : UINT64_MAX;
    // Dense (1:1) while the level fits in T entries (or always, for the dense grid); sizes
    // rounded up to 8 like tcnn.
    lv.dense = config.all_dense || dense_size <= T ? 1u : 0u;
    if (lv.dense && dense_size > UINT32_MAX) throw std::invalid_argument("hash grid: more than 2^32 table entries");
    const uint64_t size = lv.dense ? (dense_size + 7) / 8 * 8 : T;
    if (offset + size > UINT32_MAX) throw std::invalid_argument("hash grid: more than 2^32 table entries");
    lv.table_size = static_cast<uint32_t>(size);
    lv.offset = static_cast<uint32_t>(offset);
    offset += size;
  }
  return view;
}

size_t hash_grid_param_count(const HashGridView& layout) {
  size_t entries = 0;
  for (int l = 0; l < layout.n_levels; ++l) entries += layout.levels[l].table_size;
  return entries * static_cast<size_t>(layout.n_features);
}

HashGrid::HashGrid(const HashGridConfig& config) : config_(config), view_(hash_grid_layout(config)) {
  params_.assign(hash_grid_param_count(view_), 0.f);
}

ParamTensor HashGrid::param_tensor(const std::string& name) {
  ParamTensor t;
  t.name = name;
  t.shape = {static_cast<int64_t>(params_.size()) / config_.features, config_.features};
  t.group = ParamGroup::Sparse;
  t.values = params_.data();
  return t;
}

void HashGrid::initialize(uint64_t seed) {
  Pcg32 rng(seed, 0x4a5b);
  for (float& p : params_) p = (rng.next_float() * 2.f - 1.f) * 1e-4f;
}

namespace {

// Samples are processed in blocks, software-pipelined: the corners of block b+1 are
// computed and their table entries prefetched before block b is gathered, so a block's
// memory reads are in flight while the previous block computes (the fine levels' tables
// do not fit in cache, and a gather waiting on each read alone is latency-bound).
constexpr int kBlock = 16;

struct BlockCorners {
  HashGridCorners c[kBlock];
  int n = 0;
};

inline void prepare_block(const HashGridLevel& level, const float* pos, int i0, int n, const float* table, int F,
                          bool for_write, BlockCorners& bc) {
  bc.n = n - i0 < kBlock ? n - i0 : kBlock;
  for (int b = 0; b < bc.n; ++b) {
    hash_grid_corners(level, pos + 3 * (i0 + b), &bc.c[b]);
    for (int c = 0; c < 8; ++c) {
      const float* e = table + static_cast<size_t>(bc.c[b].entry[c]) * F;
      // The scatter's entries are prefetched into L2 only (locality 2: prefetcht1), not for
      // writing into L1 (prefetchw): 128 exclusive-ownership requests in flight per block
      // stalled the scatter on them (perf annotate), and the L2 hint made the training step
      // ~3.7% faster on lego_100 with identical gradients (issue 14).
      if (for_write)
        __builtin_prefetch(e, 0, 2);
      else
        __builtin_prefetch(e, 0);
    }
  }
}

template <int F>
void encode_level(const HashGridLevel& level, int l, const float* params, const float* pos, int n, float* out,
                  int ld) {
  BlockCorners bc[2];
  if (n > 0) prepare_block(level, pos, 0, n, params, F, false, bc[0]);
  for (int i0 = 0, k = 0; i0 < n; i0 += kBlock, k ^= 1) {
    if (i0 + kBlock < n) prepare_block(level, pos, i0 + kBlock, n, params, F, false, bc[k ^ 1]);
    const BlockCorners& cur = bc[k];
    for (int b = 0; b < cur.n; ++b) {
      float acc[F] = {};
      for (int c = 0; c < 8; ++c) {
        const float* e = params + static_cast<size_t>(cur.c[b].entry[c]) * F;
        for (int f = 0; f < F; ++f) acc[f] += cur.c[b].weight[c] * e[f];
      }
      float* o = out + static_cast<size_t>(i0 + b) * ld + l * F;
      for (int f = 0; f < F; ++f) o[f] = acc[f];
    }
  }
}

template <int F>
void backward_level_impl(const HashGridLevel& level, int l, const float* pos, const float* d_out, int n, int ld,
                         float* d_params) {
  BlockCorners bc[2];
  if (n > 0) prepare_block(level, pos, 0, n, d_params, F, true, bc[0]);
  for (int i0 = 0, k = 0; i0 < n; i0 += kBlock, k ^= 1) {
    if (i0 + kBlock < n) prepare_block(level, pos, i0 + kBlock, n, d_params, F, true, bc[k ^ 1]);
    const BlockCorners& cur = bc[k];
    for (int b = 0; b < cur.n; ++b) {
      const float* g = d_out + static_cast<size_t>(i0 + b) * ld + l * F;
      for (int c = 0; c < 8; ++c) {
        float* e = d_params + static_cast<size_t>(cur.c[b].entry[c]) * F;
        for (int f = 0; f < F; ++f) e[f] += cur.c[b].weight[c] * g[f];
      }
    }
  }
}

template <class Fn>
void dispatch_features(int features, Fn&& fn) {
  switch (features) {
    case 1: fn(std::integral_constant<int, 1>{}); break;
    case 2: fn(std::integral_constant<int, 2>{}); break;
    case 4: fn(std::integral_constant<int, 4>{}); break;
    case 8: fn(std::integral_constant<int, 8>{}); break;
    default: throw std::invalid_argument("hash grid: features per level must be 1, 2, 4 or 8");
  }
}

}  // namespace

void HashGrid::encode(const float* pos, int n, float* out, int ld) const {
  dispatch_features(config_.features, [&](auto F) {
    for (int l = 0; l < view_.n_levels; ++l) encode_level<decltype(F)::value>(view_.levels[l], l, params_.data(), pos, n, out, ld);
  });
}

void HashGrid::encode_one_level(int level, const float* pos, int n, float* out) const {
  dispatch_features(config_.features, [&](auto F) {
    // Output offset l = 0 with the leading dimension F: the level's features alone.
    encode_level<decltype(F)::value>(view_.levels[level], 0, params_.data(), pos, n, out, config_.features);
  });
}

void HashGrid::backward_level(int level, const float* pos, const float* d_out, int n, int ld, float* d_params) const {
  dispatch_features(config_.features, [&](auto F) {
    backward_level_impl<decltype(F)::value>(view_.levels[level], level, pos, d_out, n, ld, d_params);
  });
}

void HashGrid::encode_zip(const float* points, int K, int n, float* out, int ld) const {
  const size_t stride = 4 * static_cast<size_t>(K);
  for (int i = 0; i < n; ++i)
    for (int l = 0; l < view_.n_levels; ++l)
      zip_hash_grid_encode_level(view_, l, params_.data(), points + i * stride, K, config_.zip_downweight,
                                 out + static_cast<size_t>(i) * ld + l * config_.features);
}

void HashGrid::backward_level_zip(int level, const float* points, int K, const float* d_out, int n, int ld,
                                  float* d_params) const {
  const size_t stride = 4 * static_cast<size_t>(K);
  const auto add = [](float* target, float value) { *target += value; };
  for (int i = 0; i < n; ++i)
    zip_hash_grid_backward_level(view_, level, points + i * stride, K, config_.zip_downweight,
                                 d_out + static_cast<size_t>(i) * ld + level * config_.features, d_params, add);
}

}  // namespace nerds
