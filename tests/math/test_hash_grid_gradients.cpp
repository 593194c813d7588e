// The multiresolution hash encoding (renderer/math/hash_grid.h, renderer/techniques/encodings/hash_grid.*):
// its backward against central differences of a scalar loss, continuity across cell
// boundaries, the dense/hashed level layout of the paper's configuration and the range of
// every table index.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/math/hash_grid.h"
#include "tests/test_support/numeric.h"

using nerds::HashGrid;
using nerds::HashGridConfig;
using nerds::HashGridCorners;
using nerds::HashGridLevel;
using nerds_test::Random;

namespace {

// A grid with both dense and hashed levels that stays small enough to visit every touched
// parameter: levels 0-1 (resolution 4, 8) fit their (res+1)^3 corners in T = 2^12 entries,
// levels 2-7 (resolution 16 ... 512) hash.
HashGridConfig small_mixed_config(int features) {
  HashGridConfig c;
  c.levels = 8;
  c.features = features;
  c.log2_table_size = 12;
  c.base_resolution = 4;
  c.max_resolution = 512;
  return c;
}

// L = sum_i sum_j w_ij * encode(x_i)_j, accumulated in double from the float encoding.
double weighted_encoding(const HashGrid& grid, const std::vector<float>& pos, const std::vector<float>& w, int ld) {
  const int n = static_cast<int>(pos.size() / 3);
  const int E = grid.output_dim();
  std::vector<float> out(static_cast<size_t>(ld) * n, 0.f);
  grid.encode(pos.data(), n, out.data(), ld);
  double loss = 0.0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < E; ++j) loss += static_cast<double>(w[static_cast<size_t>(i) * ld + j]) * out[static_cast<size_t>(i) * ld + j];
  return loss;
}

}  // namespace

TEST_CASE("hash grid backward matches central differences of a weighted encoding") {
  for (int features : {1, 2, 4}) {
    CAPTURE(features);
    HashGrid grid(small_mixed_config(features));
    REQUIRE(grid.view().levels[0].dense == 1u);
    REQUIRE(grid.view().levels[grid.config().levels - 1].dense == 0u);
    Random rng(1000 + features);
    // Parameters of order 1 (not the 1e-4 initialization) so every entry matters equally.
    for (float& p : grid.params()) p = rng.uniformf(-1.f, 1.f);

    const int n = 6;
    const int E = grid.output_dim();
    const int ld = E + 3;  // a leading dimension larger than the encoding, as in the network
    std::vector<float> pos = rng.floats(3 * n, 0.f, 1.f);
    pos[0] = 0.f;  // the box's corners are legal inputs too
    pos[1] = 1.f;
    pos[2] = 1.f;
    std::vector<float> w = rng.floats(static_cast<size_t>(ld) * n, -1.f, 1.f);

    std::vector<float> d_params(grid.param_count(), 0.f);
    for (int l = 0; l < grid.config().levels; ++l)
      grid.backward_level(l, pos.data(), w.data(), n, ld, d_params.data());

    // L is linear in the parameters, so the central difference has no truncation error and
    // a large step can be used: with h = 0.25 (exact in float, and p +- h exact for |p| <= 1
    // up to one rounding of 6e-8), the only error is float rounding in the encoding: each
    // output is a sum of 8 products of magnitude <= 1.25, rounded to ~1.5e-7 absolute,
    // summed over n*E = 6*32 outputs with weights <= 1 -> |dL| error below ~3e-5 in the
    // worst case; divided by 2h = 0.5 -> 6e-5. Gradients are sums of at most n*8 weights
    // products (<= 48 in magnitude, typically ~0.5). atol 2e-4 + rtol 1e-5 leaves 3x margin
    // over the worst case; a wrong trilinear weight or corner changes a gradient by O(0.1).
    const float h = 0.25f;
    nerds_test::GradientCheck check;
    std::vector<float>& params = grid.params();
    int touched = 0;
    for (size_t k = 0; k < params.size(); ++k) {
      if (d_params[k] == 0.f) continue;
      ++touched;
      const float saved = params[k];
      const double fd = nerds_test::central_difference([&](float v) { params[k] = v; },
                                                       [&] { return weighted_encoding(grid, pos, w, ld); }, saved, h);
      params[k] = saved;
      check.add(static_cast<int>(k), d_params[k], fd, 2e-4, 1e-5);
    }
    // Every point touches 8 corners per level (fewer distinct entries only where corners
    // collide in a hashed level or points share a cell), so close to n * levels * 8 * F.
    CHECK(touched > n * grid.config().levels * 8 * features / 2);
    CHECK(touched <= n * grid.config().levels * 8 * features);
    INFO("worst parameter " << check.worst_index << ": analytic " << check.worst_analytic << " numeric "
                            << check.worst_numeric);
    CHECK(check.worst <= 1.0);

    // Parameters the backward did not touch do not change the loss at all.
    int untouched_checked = 0;
    for (int trial = 0; trial < 200; ++trial) {
      const size_t k = static_cast<size_t>(rng.index(static_cast<int>(params.size())));
      if (d_params[k] != 0.f) continue;
      const float saved = params[k];
      const double base = weighted_encoding(grid, pos, w, ld);
      params[k] = saved + 0.5f;
      const double moved = weighted_encoding(grid, pos, w, ld);
      params[k] = saved;
      CHECK(moved == base);
      ++untouched_checked;
    }
    CHECK(untouched_checked > 100);
  }
}

TEST_CASE("hash grid batched encode equals the per-point formula") {
  HashGrid grid(small_mixed_config(2));
  Random rng(7);
  for (float& p : grid.params()) p = rng.uniformf(-1.f, 1.f);
  const int n = 37;  // not a multiple of the backend's block of 16
  const int E = grid.output_dim();
  std::vector<float> pos = rng.floats(3 * n, 0.f, 1.f);
  std::vector<float> batched(static_cast<size_t>(E) * n);
  grid.encode(pos.data(), n, batched.data(), E);
  for (int i = 0; i < n; ++i) {
    std::vector<float> single(E);
    nerds::hash_grid_encode(grid.view(), grid.params().data(), pos.data() + 3 * i, single.data());
    // Equal to the rounding of the scaled coordinate (pos * scale, about 1e3 on the finest
    // level, so ~6e-5 of a cell): this file is compiled at -Og and the engine's batched path at
    // -O3, which contracts the corner weights' a*b+c into FMAs (CMakeLists.txt,
    // nerds_client_code_options).
    for (int j = 0; j < E; ++j) CHECK(batched[static_cast<size_t>(i) * E + j] == doctest::Approx(single[j]).epsilon(1e-4));
  }
}

TEST_CASE("hash grid encoding is continuous across cell boundaries") {
  HashGrid grid(small_mixed_config(2));
  Random rng(11);
  for (float& p : grid.params()) p = rng.uniformf(-1.f, 1.f);
  const int F = grid.config().features;
  for (int l = 0; l < grid.config().levels; ++l) {
    const HashGridLevel& level = grid.view().levels[l];
    CAPTURE(l);
    // A cell boundary of this level lies where pos * scale + 0.5 is an integer k. Take the
    // one nearest 0.1 (a small coordinate, so float resolves 1e-3 of the finest cell) and
    // step 1e-3 cell widths to each side of it along each axis in turn.
    const double k = std::floor(0.1 * level.scale + 0.5) + 1.0;
    const double boundary = (k - 0.5) / level.scale;
    const double offset = 1e-3 / level.scale;
    for (int axis = 0; axis < 3; ++axis) {
      CAPTURE(axis);
      float lo[3] = {0.37f, 0.61f, 0.43f}, hi[3] = {0.37f, 0.61f, 0.43f};
      lo[axis] = static_cast<float>(boundary - offset);
      hi[axis] = static_cast<float>(boundary + offset);
      HashGridCorners c_lo, c_hi;
      nerds::hash_grid_corners(level, lo, &c_lo);
      nerds::hash_grid_corners(level, hi, &c_hi);
      // The two points are in different cells: the lower one is at the far end of its cell
      // along `axis` (weight of the upper corners ~1), the upper one at the near end.
      const int bit = 1 << axis;
      double upper_lo = 0.0, upper_hi = 0.0;
      for (int c = 0; c < 8; ++c) {
        if (c & bit) {
          upper_lo += c_lo.weight[c];
          upper_hi += c_hi.weight[c];
        }
      }
      CHECK(upper_lo > 0.99);
      CHECK(upper_hi < 0.01);
      // The lower point's upper face is the upper point's lower face: same entries.
      for (int c = 0; c < 8; ++c)
        if (c & bit) CHECK(c_lo.entry[c] == c_hi.entry[c & ~bit]);

      std::vector<float> e_lo(grid.output_dim()), e_hi(grid.output_dim());
      grid.encode(lo, 1, e_lo.data(), grid.output_dim());
      grid.encode(hi, 1, e_hi.data(), grid.output_dim());
      // Trilinear interpolation is continuous: across 2e-3 of a cell a feature moves by at
      // most 2e-3 times the largest corner difference (2), i.e. 4e-3. A jump (wrong corner
      // or weight on one side) would be of the order of the corner values, ~0.5.
      for (int f = 0; f < F; ++f) CHECK(std::fabs(e_lo[l * F + f] - e_hi[l * F + f]) < 5e-3);
    }
  }
}

TEST_CASE("paper configuration: dense coarse levels, hashed fine levels, indices inside each table") {
  const HashGridConfig config;  // 16 levels, F = 2, T = 2^19, N_min 16, N_max 2048
  REQUIRE(config.levels == 16);
  REQUIRE(config.log2_table_size == 19);
  HashGrid grid(config);
  const uint32_t T = 1u << config.log2_table_size;
  int dense = 0, hashed = 0;
  uint32_t expected_offset = 0;
  double previous_scale = 0.0;
  for (int l = 0; l < config.levels; ++l) {
    const HashGridLevel& level = grid.view().levels[l];
    CAPTURE(l);
    CHECK(level.offset == expected_offset);
    CHECK(level.scale > previous_scale);
    previous_scale = level.scale;
    // Corner coordinates run up to floor(scale + 0.5) + 1 for pos = 1.
    CHECK(std::floor(level.scale + 0.5) + 1.0 <= level.resolution);
    if (level.dense) {
      ++dense;
      CHECK(hashed == 0);  // dense levels are the coarse ones, before any hashed level
      const uint64_t side = level.resolution + 1;
      CHECK(side * side * side <= level.table_size);
      CHECK(level.table_size <= T);
    } else {
      ++hashed;
      CHECK(level.table_size == T);
    }
    expected_offset += level.table_size;
  }
  CHECK(grid.param_count() == static_cast<size_t>(expected_offset) * config.features);
  // Resolutions grow geometrically from N_min to N_max (Eq. 2-3): scale + 1 = N_min b^l.
  CHECK(grid.view().levels[0].scale + 1.f == doctest::Approx(16.0));
  CHECK(grid.view().levels[15].scale + 1.f == doctest::Approx(2048.0).epsilon(1e-4));
  MESSAGE("default grid: " << dense << " dense and " << hashed << " hashed levels");
  CHECK(dense >= 1);
  CHECK(hashed >= 1);

  // Every corner of every level, for random points and the box's extreme corners, indexes
  // its own level's table.
  Random rng(3);
  std::vector<std::vector<float>> points;
  for (int i = 0; i < 4000; ++i) points.push_back({rng.uniformf(0.f, 1.f), rng.uniformf(0.f, 1.f), rng.uniformf(0.f, 1.f)});
  const float below_one = std::nextafter(1.f, 0.f);
  for (float a : {0.f, below_one, 1.f})
    for (float b : {0.f, below_one, 1.f})
      for (float c : {0.f, below_one, 1.f}) points.push_back({a, b, c});
  for (int l = 0; l < config.levels; ++l) {
    const HashGridLevel& level = grid.view().levels[l];
    CAPTURE(l);
    bool inside = true;
    std::set<uint32_t> distinct;
    for (const auto& p : points) {
      HashGridCorners corners;
      nerds::hash_grid_corners(level, p.data(), &corners);
      double weight_sum = 0.0;
      for (int c = 0; c < 8; ++c) {
        inside = inside && corners.entry[c] >= level.offset && corners.entry[c] < level.offset + level.table_size;
        weight_sum += corners.weight[c];
        if (!level.dense) distinct.insert(corners.entry[c]);
      }
      CHECK(weight_sum == doctest::Approx(1.0).epsilon(1e-5));
    }
    CHECK(inside);
    // The hash spreads corners over the table: 32k corner lookups of distinct-ish vertices
    // land on many different entries (a degenerate hash would pile them onto a few).
    if (!level.dense) CHECK(distinct.size() > 8000);
  }
}
