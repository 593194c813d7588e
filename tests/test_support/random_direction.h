// A random unit direction for the geometry tests (contraction, its footprints): a uniform point
// of the cube [-1, 1]^3 at least 0.1 from the origin, normalised.
#pragma once

#include "renderer/math/vec3.h"
#include "tests/test_support/numeric.h"

namespace nerds_test {

inline nerds::Vec3 random_direction(Random& rng) {
  nerds::Vec3 d;
  do {
    d = nerds::make_vec3(rng.uniformf(-1.f, 1.f), rng.uniformf(-1.f, 1.f), rng.uniformf(-1.f, 1.f));
  } while (nerds::length(d) < 0.1f);
  return nerds::normalize(d);
}

}  // namespace nerds_test
