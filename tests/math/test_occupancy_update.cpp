// The occupancy grid update's per-item bodies (renderer/math/occupancy_update.h), which the CPU
// grid runs in its parallel_for and the CUDA grid in launch_items: the decay keeps unseen
// cells, the raise takes the max and skips unseen and covered cells, the bits threshold at
// min(threshold, mean) with the fresh rule, and the query body writes occupancy_query's cell
// and point.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "renderer/techniques/samplers/occupancy_grid.h"
#include "renderer/math/occupancy_update.h"
#include "tests/test_support/numeric.h"

using nerds::OccupancyBitsBody;
using nerds::OccupancyThreshold;
using nerds_test::Random;

TEST_CASE("occupancy decay: seen cells scale by the decay, unseen cells (-1) stay -1") {
  std::vector<float> v = {0.f, 1.f, -1.f, 0.02f, 3.5f, -1.f};
  const std::vector<float> before = v;
  const nerds::OccupancyDecayBody decay{0.95f, v.data()};
  for (int64_t i = 0; i < static_cast<int64_t>(v.size()); ++i) decay(i);
  for (size_t i = 0; i < v.size(); ++i) {
    CAPTURE(i);
    if (before[i] < 0.f) CHECK(v[i] == -1.f);
    else CHECK(v[i] == before[i] * 0.95f);
  }
}

TEST_CASE("occupancy raise: the max of the value and sigma * dt, never lowered, in any order") {
  const int res = 8;
  const uint32_t per_cascade = res * res * res;
  const float dt_min = 0.01f;
  // Queries 0-2 hit cell 5 (seen, 0.1), query 3 cell 9 (unseen), query 4 cell 11 (0.5, a
  // lower density: kept), query 5 a cascade-1 cell inside cascade 0's box (covered: left
  // alone), query 6 a cascade-1 cell outside it.
  const uint32_t covered = per_cascade + 4 + res * (4 + res * 4);
  const uint32_t outside = per_cascade + 0;
  const std::vector<uint32_t> cells = {5, 5, 5, 9, 11, covered, outside};
  const std::vector<float> sigma = {20.f, 35.f, 5.f, 100.f, 10.f, 100.f, 70.f};
  std::vector<float> values(2 * per_cascade, 0.f);
  values[5] = 0.1f;
  values[9] = -1.f;
  values[11] = 0.5f;
  REQUIRE(nerds::occupancy_covered_by_finer_cascade(covered % per_cascade, 1, res));
  REQUIRE_FALSE(nerds::occupancy_covered_by_finer_cascade(outside % per_cascade, 1, res));
  std::vector<float> forward = values, backward = values;
  const nerds::OccupancyRaiseBody raise_fwd{cells.data(), sigma.data(), res, dt_min, forward.data()};
  const nerds::OccupancyRaiseBody raise_bwd{cells.data(), sigma.data(), res, dt_min, backward.data()};
  for (int64_t i = 0; i < static_cast<int64_t>(cells.size()); ++i) raise_fwd(i);
  for (int64_t i = static_cast<int64_t>(cells.size()) - 1; i >= 0; --i) raise_bwd(i);
  CHECK(forward[5] == 35.f * dt_min);
  CHECK(forward[9] == -1.f);
  CHECK(forward[11] == 0.5f);
  CHECK(forward[covered] == 0.f);
  CHECK(forward[outside] == 70.f * dt_min);
  CHECK(forward == backward);

  float x = 0.2f;
  nerds::raise_to_at_least(&x, 0.1f);
  CHECK(x == 0.2f);
  nerds::raise_to_at_least(&x, 0.3f);
  CHECK(x == 0.3f);
}

TEST_CASE("occupancy threshold at a step: before cull_from_step every seen cell stays occupied, then the mean rule") {
  // cull_from_step 0 (every method without NDC): the plain rule at every step.
  OccupancyThreshold t = nerds::occupancy_threshold_at(0.01f, 0.004f, 0, 0);
  CHECK(t.threshold == 0.004f);
  CHECK_FALSE(t.fresh);
  // NDC's hold: a low value stays occupied before the step, an unseen cell never is.
  t = nerds::occupancy_threshold_at(0.01f, 0.004f, 48, 64);
  CHECK(t.fresh);
  CHECK(nerds::occupancy_cell_occupied(0.001f, t));
  CHECK_FALSE(nerds::occupancy_cell_occupied(-1.f, t));
  t = nerds::occupancy_threshold_at(0.01f, 0.004f, 64, 64);
  CHECK_FALSE(t.fresh);
  CHECK_FALSE(nerds::occupancy_cell_occupied(0.001f, t));
  CHECK(nerds::occupancy_cell_occupied(0.005f, t));
}

TEST_CASE("occupancy threshold: min(threshold, mean), the fresh rule before the first update") {
  // The mean below the threshold lowers it; above, the threshold holds.
  OccupancyThreshold t = nerds::occupancy_threshold(0.01f, 0.004f);
  CHECK(t.threshold == 0.004f);
  CHECK_FALSE(t.fresh);
  t = nerds::occupancy_threshold(0.01f, 0.2f);
  CHECK(t.threshold == 0.01f);
  CHECK_FALSE(t.fresh);
  CHECK(nerds::occupancy_cell_occupied(0.011f, t));
  CHECK_FALSE(nerds::occupancy_cell_occupied(0.01f, t));  // strictly above
  CHECK_FALSE(nerds::occupancy_cell_occupied(0.f, t));
  CHECK_FALSE(nerds::occupancy_cell_occupied(-1.f, t));
  // A NaN mean (a diverged network) leaves the threshold, and is not fresh.
  t = nerds::occupancy_threshold(0.01f, std::numeric_limits<float>::quiet_NaN());
  CHECK(t.threshold == 0.01f);
  CHECK_FALSE(t.fresh);
  // Fresh (mean 0: every value 0 or unseen): the cells a camera sees are occupied.
  t = nerds::occupancy_threshold(0.01f, 0.f);
  CHECK(t.fresh);
  CHECK(nerds::occupancy_cell_occupied(0.f, t));
  CHECK_FALSE(nerds::occupancy_cell_occupied(-1.f, t));
  // The mean's terms count unseen cells as 0.
  CHECK(nerds::occupancy_mean_term(-1.f) == 0.f);
  CHECK(nerds::occupancy_mean_term(0.25f) == 0.25f);
  std::vector<float> terms(2);
  const std::vector<float> v = {-1.f, 0.5f};
  const nerds::OccupancyMeanTermBody term{v.data(), terms.data()};
  term(0);
  term(1);
  CHECK(terms == std::vector<float>{0.f, 0.5f});
}

TEST_CASE("occupancy bits: bit k of byte b is cell 8b + k, the last byte partial, counts its set bits") {
  Random rng(5);
  const int64_t n = 8 * 5 + 3;  // five whole bytes and three cells of a sixth
  std::vector<float> values(n);
  for (float& v : values) v = rng.uniform() < 0.2 ? -1.f : rng.uniformf(0.f, 0.03f);
  for (const OccupancyThreshold t : {nerds::occupancy_threshold(0.01f, 0.02f), nerds::occupancy_threshold(0.01f, 0.f)}) {
    CAPTURE(t.fresh);
    std::vector<uint8_t> bits(6, 0xaa);
    std::vector<int> counts(6, -1);
    const OccupancyBitsBody with_counts{values.data(), n, t, bits.data(), counts.data()};
    for (int64_t byte = 0; byte < 6; ++byte) with_counts(byte);
    int set = 0;
    for (int64_t i = 0; i < n; ++i) {
      const bool bit = (bits[i >> 3] >> (i & 7)) & 1;
      CHECK(bit == nerds::occupancy_cell_occupied(values[i], t));
      set += bit;
    }
    CHECK((bits[5] >> 3) == 0);  // past the last cell
    int counted = 0;
    for (int c : counts) counted += c;
    CHECK(counted == set);
    // Without counts (the CPU grid) the same bits.
    std::vector<uint8_t> bits2(6, 0x55);
    const OccupancyBitsBody without{values.data(), n, t, bits2.data()};
    for (int64_t byte = 0; byte < 6; ++byte) without(byte);
    CHECK(bits2 == bits);
  }
}

TEST_CASE("occupancy query body: occupancy_query's cell and its point in network coordinates") {
  const int res = 16, cascades = 2;
  const uint32_t total = 2u * res * res * res;
  const std::vector<uint32_t> occupied = {3, 77, 4100, 5000};
  const int64_t half = 40, queries = 2 * half;
  std::vector<uint32_t> cells(queries);
  std::vector<float> pos(3 * queries);
  const nerds::OccupancyQueryBody body{false, half, total, occupied.data(), static_cast<uint32_t>(occupied.size()),
                                       res, cascades, 9, 32, cells.data(), pos.data()};
  for (int64_t i = 0; i < queries; ++i) body(i);
  for (int64_t i = 0; i < queries; ++i) {
    CAPTURE(i);
    const nerds::OccupancyQuery q =
        nerds::occupancy_query(i, false, half, total, occupied.data(), static_cast<uint32_t>(occupied.size()), res, 9, 32);
    CHECK(cells[i] == q.cell);
    if (i >= half) CHECK(std::find(occupied.begin(), occupied.end(), cells[i]) != occupied.end());
    const nerds::Vec3 p = nerds::network_position(q.point, 1.f);  // two cascades: the box is 0.5 +- 1
    CHECK(pos[3 * i] == p.x);
    CHECK(pos[3 * i + 1] == p.y);
    CHECK(pos[3 * i + 2] == p.z);
    for (int a = 0; a < 3; ++a) {
      CHECK(pos[3 * i + a] >= 0.f);
      CHECK(pos[3 * i + a] <= 1.f);
    }
  }
}

TEST_CASE("OccupancyGrid::rebuild_bits: the bits body over the values at min(threshold, mean)") {
  nerds::OccupancyConfig config;
  config.resolution = 16;
  config.threshold = 0.01f;
  nerds::OccupancyGrid grid(config);
  Random rng(8);
  for (float& v : grid.values()) v = rng.uniform() < 0.1 ? -1.f : rng.uniformf(0.f, 0.015f);
  grid.rebuild_bits();
  double sum = 0.0;
  for (float v : grid.values()) sum += nerds::occupancy_mean_term(v);
  CHECK(grid.mean_value() == doctest::Approx(sum / grid.cell_count()).epsilon(1e-6));
  const OccupancyThreshold t = nerds::occupancy_threshold(config.threshold, grid.mean_value());
  CHECK(t.threshold == grid.mean_value());  // the mean (about 0.007) is below the threshold
  size_t occupied = 0;
  for (size_t i = 0; i < grid.cell_count(); ++i) {
    const bool expected = nerds::occupancy_cell_occupied(grid.values()[i], t);
    if (grid.is_cell_occupied(i) != expected) FAIL_CHECK("cell " << i);
    occupied += expected;
  }
  CHECK(grid.occupied_count() == occupied);
  CHECK(occupied > 0);
  CHECK(occupied < grid.cell_count());
}
