// The slice through a grid level (grid_slice.h, Engine::grid_slice): on a grid whose table is
// set to known values, every sample of the slice equals the level's features that encode()
// gives at that sample's position (hashed and dense levels alike), the plane's samples lie
// where GridSlice says, and an engine whose encoding is not a grid says so.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/encodings/grid_slice.h"
#include "renderer/techniques/encodings/hash_grid.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_engine.h"

using namespace nerds;

namespace {

// A small grid: a dense coarse level and hashed finer ones, its table set to known values.
HashGrid known_grid() {
  HashGridConfig c;
  c.levels = 4;
  c.features = 2;
  c.log2_table_size = 10;
  c.base_resolution = 4;
  c.max_resolution = 64;
  HashGrid g(c);
  Pcg32 rng(5, 6);
  for (float& p : g.params()) p = 2.f * rng.next_float() - 1.f;
  return g;
}

}  // namespace

TEST_CASE("grid slice: the samples lie on the plane, row 0 at the top of the second axis") {
  float p[3];
  grid_slice_position(0, 0.25f, 4, 2, 0, 0, p);  // normal x: first axis y, second z
  CHECK(p[0] == 0.25f);
  CHECK(p[1] == doctest::Approx(0.125f));
  CHECK(p[2] == doctest::Approx(0.75f));
  grid_slice_position(2, 0.5f, 4, 2, 3, 1, p);  // normal z: first x, second y
  CHECK(p[0] == doctest::Approx(0.875f));
  CHECK(p[1] == doctest::Approx(0.25f));
  CHECK(p[2] == 0.5f);
  int a = 0, b = 0;
  grid_slice_axes(1, &a, &b);
  CHECK(a == 0);
  CHECK(b == 2);
}

TEST_CASE("grid slice: each sample is the level's encoded features at its position") {
  const HashGrid g = known_grid();
  const int F = g.config().features, E = g.output_dim();
  bool saw_hashed = false, saw_dense = false;
  for (int level = 0; level < g.config().levels; ++level) {
    for (int axis = 0; axis < 3; ++axis) {
      const GridSlice s = hash_grid_slice(g, level, axis, 0.3f, 9, 7);
      CAPTURE(level);
      CAPTURE(axis);
      REQUIRE(s.values.size() == 9u * 7u * F);
      CHECK(s.features == F);
      CHECK(s.levels == 4);
      CHECK(s.resolution == static_cast<int>(g.view().levels[level].resolution));
      (s.hashed ? saw_hashed : saw_dense) = true;
      for (int j = 0; j < 7; ++j) {
        for (int i = 0; i < 9; ++i) {
          float pos[3];
          grid_slice_position(axis, 0.3f, 9, 7, i, j, pos);
          std::vector<float> all(E);
          g.encode(pos, 1, all.data(), E);  // every level of that one point
          for (int f = 0; f < F; ++f)
            CHECK(s.values[(static_cast<size_t>(j) * 9 + i) * F + f] == all[level * F + f]);
        }
      }
    }
  }
  CHECK(saw_hashed);
  CHECK(saw_dense);
  // A plane through entries set to one value reads that value (trilinear weights sum to 1).
  HashGrid flat = known_grid();
  for (float& p : flat.params()) p = 0.75f;
  for (float v : hash_grid_slice(flat, 2, 1, 0.5f, 5, 5).values) CHECK(v == doctest::Approx(0.75f));
  CHECK_THROWS_AS(hash_grid_slice(g, 4, 0, 0.5f, 8, 8), std::invalid_argument);
  CHECK_THROWS_AS(hash_grid_slice(g, 0, 3, 0.5f, 8, 8), std::invalid_argument);
}

TEST_CASE("grid slice: the engine slices its model's grid, and says when the encoding is not one") {
  nerds_test::TempFolder folder("grid_slice");
  const std::unique_ptr<Engine> hash = nerds_test::small_engine(folder.str() + "/hash", {}, 24, 4);
  const Engine& e = *hash;
  const GridSlice s = e.grid_slice(3, 2, 0.5f, 16);
  CHECK(s.level == 3);
  CHECK(s.levels == 4);
  CHECK(s.values.size() == 16u * 16u * 2u);
  for (float v : s.values) CHECK(std::abs(v) <= 1e-4f);  // Instant-NGP's initialization
  CHECK_THROWS_WITH_AS(e.grid_slice(4, 2, 0.5f, 16), doctest::Contains("level"), InputError);
  CHECK_THROWS_WITH_AS(e.grid_slice(0, 2, 1.5f, 16), doctest::Contains("offset"), InputError);

  const std::unique_ptr<Engine> frequency =
      nerds_test::small_engine(folder.str() + "/frequency", {"encoding.kind=frequency"}, 24, 4);
  const Engine& f = *frequency;
  CHECK_THROWS_WITH_AS(f.grid_slice(0, 2, 0.5f, 16), doctest::Contains("not a grid encoding"), InputError);
}
