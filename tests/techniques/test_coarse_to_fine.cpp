// BARF's coarse-to-fine weights (Eq. 14) on the encodings' features: off before c2f_start,
// faded in band by band, none at all (the network unchanged) from c2f_end on.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/coarse_to_fine.h"
#include "renderer/techniques/encodings/coarse_to_fine.h"

using namespace nerds;

TEST_CASE("coarse-to-fine: Eq. 14's weight is 0 below band k, 1 above it, (1 - cos)/2 between") {
  CHECK(coarse_to_fine_weight(2.0f, 3) == 0.f);
  CHECK(coarse_to_fine_weight(4.0f, 3) == 1.f);
  CHECK(coarse_to_fine_weight(3.5f, 3) == doctest::Approx(0.5));
  CHECK(coarse_to_fine_weight(3.25f, 3) == doctest::Approx((1.0 - std::cos(0.25 * 3.14159265358979)) / 2.0));
  CHECK(coarse_to_fine_alpha(0.3f, 0.1f, 0.5f, 10.f) == doctest::Approx(5.0));
}

TEST_CASE("coarse-to-fine: per-feature weights of the frequency and grid encodings") {
  CoarseToFineSettings c2f;
  c2f.enabled = true;  // BARF's [0.1, 0.5]
  NetworkConfig freq;
  freq.encoding = "frequency";
  freq.frequency.dims = 3;
  freq.frequency.frequencies = 4;
  freq.frequency.include_input = true;
  const std::vector<float> early = coarse_to_fine_feature_weights(freq, c2f, 0.05f);
  REQUIRE(early.size() == 3 + 4 * 6);
  for (int j = 0; j < 3; ++j) CHECK(early[j] == 1.f);  // the raw coordinates always pass
  for (size_t j = 3; j < early.size(); ++j) CHECK(early[j] == 0.f);
  const std::vector<float> mid = coarse_to_fine_feature_weights(freq, c2f, 0.3f);  // alpha = 2
  CHECK(mid[3] == 1.f);
  CHECK(mid[3 + 6] == 1.f);
  CHECK(mid[3 + 12] == 0.f);
  for (size_t j = 4; j < mid.size(); ++j) CHECK(mid[j] <= mid[j - 1]);
  CHECK(coarse_to_fine_feature_weights(freq, c2f, 0.5f).empty());  // over: the network as without it
  c2f.enabled = false;
  CHECK(coarse_to_fine_feature_weights(freq, c2f, 0.05f).empty());

  c2f.enabled = true;
  NetworkConfig grid;
  grid.encoding = "hash";
  grid.grid.levels = 5;
  grid.grid.features = 2;
  const std::vector<float> g = coarse_to_fine_feature_weights(grid, c2f, 0.2f);  // alpha = 1 over 4 bands
  REQUIRE(g.size() == 10);
  CHECK(g[0] == 1.f);  // level 0 always on
  CHECK(g[1] == 1.f);
  CHECK(g[2] == 1.f);  // level 1 = band 0, fully on at alpha 1
  CHECK(g[4] == 0.f);
  CHECK(g[9] == 0.f);
}
