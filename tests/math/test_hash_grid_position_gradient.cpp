// The position gradient of the grid encodings (hash_grid_position_backward_level, for BARF's
// pose refinement) against central differences, at points whose cells the differences stay
// in (trilinear interpolation has a kink at every cell face); and the frequency encoding's
// (analytic) through the same PositionEncoding interface.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/hash_grid.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/techniques/fields/network_config.h"
#include "tests/test_support/numeric.h"

using namespace nerds;

namespace {

// L = sum_j c_j encode(pos)_j in double.
double weighted(const PositionEncoding& e, const float* pos, const std::vector<float>& c) {
  std::vector<float> out(e.width());
  e.encode(pos, nullptr, 1, out.data(), e.width());
  double s = 0.0;
  for (int j = 0; j < e.width(); ++j) s += static_cast<double>(c[j]) * out[j];
  return s;
}

// Whether pos and pos +- h along `axis` share their cell on every level of the grid.
bool same_cells(const HashGridView& v, const float* pos, int axis, float h) {
  for (int l = 0; l < v.n_levels; ++l) {
    const float p = pos[axis] * v.levels[l].scale + 0.5f;
    if (std::floor(p - h * v.levels[l].scale) != std::floor(p + h * v.levels[l].scale)) return false;
  }
  return true;
}

void check_position_gradient(const PositionEncoding& e, const HashGridView* grid, float h, double tol) {
  nerds_test::Random random(5);
  const std::vector<float> c = random.floats(e.width(), -1.f, 1.f);
  int checked = 0;
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<float> pos = random.floats(3, 0.1f, 0.9f);
    float d_pos[3] = {0.f, 0.f, 0.f};
    e.backward_inputs(pos.data(), nullptr, c.data(), 1, e.width(), d_pos, nullptr);
    for (int a = 0; a < 3; ++a) {
      if (grid && !same_cells(*grid, pos.data(), a, h)) continue;
      const float x0 = pos[a];
      pos[a] = x0 + h;
      const double up = weighted(e, pos.data(), c);
      pos[a] = x0 - h;
      const double down = weighted(e, pos.data(), c);
      pos[a] = x0;
      const double numeric = (up - down) / (2.0 * h);
      CAPTURE(trial);
      CAPTURE(a);
      // The differences of float encodings carry ~1e-4 of rounding (a few features of order 1
      // over 2h): an absolute floor of tol/2, far below gradients of order 1-30.
      CHECK(d_pos[a] == doctest::Approx(numeric).epsilon(tol).scale(0.5));
      ++checked;
    }
  }
  CHECK(checked >= 30);
}

}  // namespace

TEST_CASE("hash grid: the position gradient matches central differences inside a cell") {
  HashGridConfig g;
  g.levels = 4;
  g.features = 2;
  g.log2_table_size = 12;
  g.base_resolution = 4;
  g.max_resolution = 32;
  HashGridEncoding e(g);
  e.initialize(3);
  // Features of order 1 (the initial 1e-4 would leave nothing to measure).
  nerds_test::Random random(9);
  for (float& v : e.grid().params()) v = random.uniform(-1.f, 1.f);
  REQUIRE(e.position_gradient());
  CHECK_FALSE(e.differentiable_inputs());  // piecewise: the registry's differences would cross faces
  check_position_gradient(e, &e.grid().view(), 1e-3f, 2e-3);
}

TEST_CASE("frequency encoding: the position gradient matches central differences") {
  NetworkConfig c;
  c.encoding = "frequency";
  c.frequency.dims = 3;
  c.frequency.frequencies = 6;
  const std::unique_ptr<PositionEncoding> e = make_position_encoding(c);
  REQUIRE(e->position_gradient());
  check_position_gradient(*e, nullptr, 1e-4f, 5e-3);
}
