// Seeded random points for the grid tests: n points, xyz interleaved, each coordinate uniform
// in [lo, hi) (the unit cube by default), the same on every machine (Pcg32).
#pragma once

#include <cstdint>
#include <vector>

#include "renderer/math/rng.h"

namespace nerds_test {

inline std::vector<float> random_points(int n, uint64_t seed, float lo = 0.f, float hi = 1.f) {
  nerds::Pcg32 rng(seed, 1);
  std::vector<float> p(3 * static_cast<size_t>(n));
  for (float& v : p) v = lo + (hi - lo) * rng.next_float();
  return p;
}

}  // namespace nerds_test
