// Checks on camera poses shared by the camera tests: a pose's axes and that its 3x3 block is a
// rotation (orthonormal, right-handed).
#pragma once

#include <doctest/doctest.h>

#include <cmath>

#include "renderer/engine.h"

namespace nerds_test {

inline nerds::Vec3 pose_column(const nerds::Pose& p, int c) {
  return nerds::make_vec3(p.m[0][c], p.m[1][c], p.m[2][c]);
}

inline void check_rigid(const nerds::Pose& p) {
  const nerds::Vec3 x = pose_column(p, 0), y = pose_column(p, 1), z = pose_column(p, 2);
  CHECK(length(x) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(length(y) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(length(z) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(std::fabs(dot(x, y)) < 1e-5f);
  CHECK(std::fabs(dot(y, z)) < 1e-5f);
  CHECK(dot(cross(x, y), z) == doctest::Approx(1.0).epsilon(1e-5));  // right-handed
}

}  // namespace nerds_test
