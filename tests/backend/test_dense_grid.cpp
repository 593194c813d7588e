// Instant-NGP's multiresolution dense grid (Müller et al. 2022, Fig. 2/3), the hash grid with
// every level indexed 1:1: no two vertices of a level share an entry, the levels' tables do
// not overlap, the resolutions follow Eq. 2-3 up to dense_max_resolution, and the parameters
// that would make it too large are refused by name.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"

using nerds::HashGridConfig;
using nerds::HashGridLevel;
using nerds::HashGridView;

namespace {

HashGridConfig dense_config(int levels, int base, float finest) {
  HashGridConfig c;
  c.levels = levels;
  c.features = 2;
  c.log2_table_size = 12;  // unused by a dense grid; small, so a hashed level would show
  c.base_resolution = base;
  c.max_resolution = finest;
  c.all_dense = true;
  return c;
}

}  // namespace

TEST_CASE("dense grid: every vertex of every level has its own entry, within its level's table") {
  // The encoding module's default dense grid: 16 levels from 16 to 128 (12.9 M parameters).
  const HashGridView view = nerds::hash_grid_layout(dense_config(16, 16, 128.f));
  std::vector<bool> used;
  uint32_t expected_offset = 0;
  for (int l = 0; l < view.n_levels; ++l) {
    CAPTURE(l);
    const HashGridLevel& lv = view.levels[l];
    REQUIRE(lv.dense == 1u);
    const uint64_t side = lv.resolution + 1;
    CHECK(lv.table_size >= side * side * side);
    CHECK(lv.table_size < side * side * side + 8);  // rounded up to 8 only
    CHECK(lv.offset == expected_offset);
    expected_offset += lv.table_size;
    used.assign(lv.table_size, false);
    int collisions = 0, outside = 0;
    for (uint32_t z = 0; z < side; ++z)
      for (uint32_t y = 0; y < side; ++y)
        for (uint32_t x = 0; x < side; ++x) {
          const uint32_t i = nerds::hash_grid_index(lv, x, y, z);
          if (i >= lv.table_size) {
            ++outside;
            continue;
          }
          if (used[i]) ++collisions;
          used[i] = true;
        }
    CHECK(collisions == 0);
    CHECK(outside == 0);
  }
  CHECK(nerds::hash_grid_param_count(view) == static_cast<size_t>(expected_offset) * 2);
  // Eq. 2-3: geometric from N_min to N_max (tcnn's scale = N_l - 1), the finest at dense_max_resolution.
  CHECK(view.levels[0].scale == doctest::Approx(15.f));
  CHECK(view.levels[15].scale == doctest::Approx(127.f));
  // Vertices per axis: ceil(scale) + 1 (tcnn), so 128 or 129 as the float scale rounds.
  CHECK(view.levels[15].resolution >= 128u);
  CHECK(view.levels[15].resolution <= 129u);
}

TEST_CASE("dense grid: the corners of points anywhere in the unit cube stay inside their level") {
  const HashGridView view = nerds::hash_grid_layout(dense_config(5, 4, 37.f));
  const float coords[] = {0.f, 1e-6f, 0.25f, 0.5f, 0.999999f, 1.f};
  for (int l = 0; l < view.n_levels; ++l)
    for (float x : coords)
      for (float y : coords)
        for (float z : coords) {
          const float pos[3] = {x, y, z};
          nerds::HashGridCorners corners;
          nerds::hash_grid_corners(view.levels[l], pos, &corners);
          for (uint32_t e : corners.entry) {
            CHECK(e >= view.levels[l].offset);
            CHECK(e < view.levels[l].offset + view.levels[l].table_size);
          }
        }
}

TEST_CASE("dense grid: the encoding module builds it from dense_max_resolution and refuses one too large") {
  nerds::Dataset data;
  data.aabb_scale = 4.f;  // the dense grid's finest resolution is over the whole box: not scaled
  nerds::ParamSet p = nerds::default_method_params();
  p.set("encoding.kind", std::string("dense"));
  p.set("encoding.levels", int64_t{8});
  p.set("encoding.dense_max_resolution", int64_t{64});
  const nerds::TrainConfig c = nerds::make_train_config(p, data);
  CHECK(c.network.encoding == nerds::kDenseEncoding);
  CHECK(c.network.grid.all_dense);
  CHECK(c.network.grid.max_resolution == 64.f);
  const nerds::NerfNetwork net(c.network);
  CHECK(net.encoding_is_trained());
  CHECK(net.encoding_dim() == 16);
  for (int l = 0; l < 8; ++l) CHECK(nerds::grid_of(net.encoding()).view().levels[l].dense == 1u);
  CHECK(nerds::grid_of(net.encoding()).view().levels[7].scale == doctest::Approx(63.f));

  // 16 levels x 2 features up to 512: 5.4e8 parameters, over the 2^28 bound.
  p.set("encoding.levels", int64_t{16});
  p.set("encoding.dense_max_resolution", int64_t{512});
  try {
    (void)nerds::make_train_config(p, data);
    FAIL("a dense grid of 5.4e8 parameters was accepted");
  } catch (const nerds::InputError& e) {
    CHECK(std::string(e.what()).find("encoding.dense_max_resolution") != std::string::npos);
  }
  // Beyond 32-bit entry offsets the message still names the field (no std::invalid_argument).
  p.set("encoding.dense_max_resolution", int64_t{4096});
  CHECK_THROWS_AS(nerds::make_train_config(p, data), nerds::InputError);
  p.set("encoding.dense_max_resolution", int64_t{8});  // below base_resolution = 16
  CHECK_THROWS_AS(nerds::make_train_config(p, data), nerds::InputError);
  // The hash grid's own max_resolution is unaffected (the paper's 2048 x aabb_scale).
  p.set("encoding.kind", std::string("hash"));
  CHECK(nerds::make_train_config(p, data).network.grid.max_resolution == 2048.f * 4.f);
  CHECK_FALSE(nerds::make_train_config(p, data).network.grid.all_dense);
}

TEST_CASE("field.skip_layer must be below field.density_layers") {
  nerds::Dataset data;
  nerds::ParamSet p = nerds::default_method_params();
  p.set("field.skip_layer", int64_t{1});  // density_layers defaults to 1
  try {
    (void)nerds::make_train_config(p, data);
    FAIL("a skip after the last hidden layer was accepted");
  } catch (const nerds::InputError& e) {
    CHECK(std::string(e.what()).find("field.skip_layer") != std::string::npos);
  }
  p.set("field.density_layers", int64_t{8});
  p.set("field.skip_layer", int64_t{4});
  CHECK(nerds::make_train_config(p, data).network.density_skip_layer == 4);
}
