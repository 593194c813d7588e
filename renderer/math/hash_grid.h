// Multiresolution hash encoding (Instant-NGP, Müller et al. 2022, Sec. 3, Eq. 2-4):
// L levels of trainable F-dimensional features; level l has resolution
// N_l = floor(N_min * b^l), b = exp((ln N_max - ln N_min) / (L - 1)); its corners index a
// table of T entries, densely (1:1) while the level fits, else through the spatial hash
// h(x) = (x_1 * 1 XOR x_2 * 2654435761 XOR x_3 * 805459861) mod T (Eq. 4). A point's
// feature is the trilinear interpolation of its cell's 8 corner features. The paper's
// "multiresolution dense grid" ablation (Fig. 2/3) is the same encoding with every level
// dense, whatever its size (HashGridConfig::all_dense sets HashGridLevel::dense).
// The scale/offset conventions (scale = N_min * b^l - 1, cell grid offset by 0.5) follow
// tiny-cuda-nn's GridEncoding, so that numbers compare with instant-ngp's.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "renderer/math/hd.h"

namespace nerds {

constexpr int kMaxHashLevels = 32;

struct HashGridLevel {
  float scale = 0.f;          // position multiplier for this level
  uint32_t resolution = 0;    // vertices per axis
  uint32_t table_size = 0;    // entries in this level's table
  uint32_t offset = 0;        // first entry of this level in the whole parameter array
  uint32_t dense = 0;         // 1: 1:1 indexing, 0: spatial hash
};

// Everything a kernel needs to read the encoding: level table, sizes and the parameters.
struct HashGridView {
  HashGridLevel levels[kMaxHashLevels];
  int n_levels = 0;
  int n_features = 0;  // F, features per entry
};

NERDS_HD uint32_t hash_grid_index(const HashGridLevel& level, uint32_t x, uint32_t y, uint32_t z) {
  if (level.dense) {
    // Corner coordinates run 0..resolution, so a dense level stores (resolution+1)^3
    // entries and needs no modulo (instant-ngp wraps with a modulo instead).
    const uint32_t r = level.resolution + 1;
    return x + r * (y + r * z);
  }
  // Eq. 4; the table size of a hashed level is a power of two, so mod is a mask.
  const uint32_t h = x ^ (y * 2654435761u) ^ (z * 805459861u);
  return h & (level.table_size - 1u);
}

// The cell of `pos` (in [0,1]^3) at one level: its lowest corner and the fractional
// position inside it (tcnn's convention: pos * scale + 0.5).
NERDS_HD void hash_grid_cell(const HashGridLevel& level, const float* pos, uint32_t* base, float* frac) {
  for (int d = 0; d < 3; ++d) {
    const float p = pos[d] * level.scale + 0.5f;
    const float f = floorf(p);
    base[d] = static_cast<uint32_t>(f < 0.f ? 0.f : f);
    frac[d] = p - f;
  }
}

// Corner c (bit d of c selects the upper neighbour along axis d) of a cell: its entry
// index within the whole table (level offset added) and its trilinear weight.
NERDS_HD void hash_grid_corner(const HashGridLevel& level, const uint32_t* base, const float* frac, int c,
                               uint32_t* entry, float* weight) {
  const uint32_t hx = c & 1, hy = (c >> 1) & 1, hz = (c >> 2) & 1;
  *weight = (hx ? frac[0] : 1.f - frac[0]) * (hy ? frac[1] : 1.f - frac[1]) * (hz ? frac[2] : 1.f - frac[2]);
  *entry = level.offset + hash_grid_index(level, base[0] + hx, base[1] + hy, base[2] + hz);
}

// The 8 corners of the cell containing pos at one level.
struct HashGridCorners {
  uint32_t entry[8];
  float weight[8];
};

NERDS_HD void hash_grid_corners(const HashGridLevel& level, const float* pos, HashGridCorners* out) {
  uint32_t base[3];
  float frac[3];
  hash_grid_cell(level, pos, base, frac);
  for (int c = 0; c < 8; ++c) hash_grid_corner(level, base, frac, c, &out->entry[c], &out->weight[c]);
}

// Forward for one level of one point: writes n_features values to out (the level's slice).
NERDS_HD void hash_grid_encode_level(const HashGridView& grid, int l, const float* params, const float* pos,
                                     float* out) {
  const int F = grid.n_features;
  HashGridCorners corners;
  hash_grid_corners(grid.levels[l], pos, &corners);
  for (int f = 0; f < F; ++f) out[f] = 0.f;
  for (int c = 0; c < 8; ++c) {
    const float* e = params + static_cast<size_t>(corners.entry[c]) * F;
    for (int f = 0; f < F; ++f) out[f] += corners.weight[c] * e[f];
  }
}

// Forward: writes n_levels * n_features values (level-major) for one point.
NERDS_HD void hash_grid_encode(const HashGridView& grid, const float* params, const float* pos, float* out) {
  for (int l = 0; l < grid.n_levels; ++l) hash_grid_encode_level(grid, l, params, pos, out + l * grid.n_features);
}

// Backward for one level of one point: dL/dparams += weight * dL/dfeature. `accumulate`
// is (float* target, float value): a plain += where one thread owns the level (CPU), an
// atomicAdd on the GPU.
template <class Accumulate>
NERDS_HD void hash_grid_backward_level(const HashGridView& grid, int l, const float* pos, const float* d_out,
                                       float* d_params, Accumulate accumulate) {
  const int F = grid.n_features;
  HashGridCorners corners;
  hash_grid_corners(grid.levels[l], pos, &corners);
  for (int c = 0; c < 8; ++c) {
    float* e = d_params + static_cast<size_t>(corners.entry[c]) * F;
    for (int f = 0; f < F; ++f) accumulate(e + f, corners.weight[c] * d_out[l * F + f]);
  }
}

// dL/dpos of one level of one point given dL/d(its features) (the level's slice of d_out):
// the derivative of the trilinear interpolation, accumulated into d_pos. Weight w_c is a
// product of (frac or 1 - frac) per axis; its derivative along axis d swaps that axis's factor
// for +1 or -1, and frac moves by level.scale per unit of pos. Piecewise smooth (a kink at each
// cell face). BARF's pose refinement sends the loss to the rays through it.
NERDS_HD void hash_grid_position_backward_level(const HashGridView& grid, int l, const float* params,
                                                const float* pos, const float* d_out, float* d_pos) {
  const int F = grid.n_features;
  const HashGridLevel& level = grid.levels[l];
  uint32_t base[3];
  float frac[3];
  hash_grid_cell(level, pos, base, frac);
  for (int c = 0; c < 8; ++c) {
    uint32_t entry;
    float weight;
    hash_grid_corner(level, base, frac, c, &entry, &weight);
    const float* e = params + static_cast<size_t>(entry) * F;
    float g = 0.f;  // dL/dw_c
    for (int f = 0; f < F; ++f) g += d_out[l * F + f] * e[f];
    float factor[3];
    for (int d = 0; d < 3; ++d) factor[d] = ((c >> d) & 1) ? frac[d] : 1.f - frac[d];
    for (int d = 0; d < 3; ++d) {
      const float sign = ((c >> d) & 1) ? 1.f : -1.f;
      d_pos[d] += g * sign * factor[(d + 1) % 3] * factor[(d + 2) % 3] * level.scale;
    }
  }
}

}  // namespace nerds
