// The second line of defence behind the dataset loaders' bounds on aabb_scale: a Dataset built
// by hand (Python, tests, a future loader) with a huge scene box is refused by the hash grid's
// layout and the occupancy grid's cascade count, by name and at once, instead of overflowing
// a 32-bit level resolution (a crash at 1e9) or looping on the cascades (a hang at 1e30).
#include <doctest/doctest.h>

#include <chrono>
#include <limits>
#include <stdexcept>
#include <string>

#include "renderer/data/dataset.h"
#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/encodings/hash_grid.h"

namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

std::string input_error_of_config(float aabb_scale) {
  nerds::Dataset data;
  data.root = "hand-made";
  data.aabb_scale = aabb_scale;
  try {
    nerds::make_train_config(nerds::default_method_params(), data);
  } catch (const nerds::InputError& e) {
    return e.what();
  }
  return "(no InputError thrown)";
}

}  // namespace

TEST_CASE("scene size: the hash grid's layout refuses a finest resolution past 2^24, and lays out 2048 * 128") {
  nerds::HashGridConfig g;  // instant-ngp's: 16 levels, T = 2^19, N_min 16
  g.max_resolution = 2048.f * 128.f;
  const nerds::HashGridView view = nerds::hash_grid_layout(g);
  CHECK(view.levels[15].resolution >= 262144u);  // N_max, give or take the rounding of b^15
  CHECK(view.levels[15].dense == 0u);
  for (float huge : {2048.f * 1e9f, 2048.f * 1e30f, kInfinity, 16777217.f * 2.f}) {
    g.max_resolution = huge;
    CAPTURE(huge);
    CHECK_THROWS_WITH_AS(nerds::hash_grid_layout(g), doctest::Contains("encoding.max_resolution"), nerds::InputError);
  }
  // A dense grid whose finest side is past 2^21 would overflow (N+1)^3 in 64 bits.
  g.max_resolution = 4194304.f;
  g.all_dense = true;
  CHECK_THROWS_AS(nerds::hash_grid_layout(g), std::invalid_argument);
}

TEST_CASE("scene size: make_train_config refuses aabb_scale past the occupancy grid's 8 cascades, at once") {
  const auto start = std::chrono::steady_clock::now();
  for (float huge : {1e9f, 1e30f, 256.f, kInfinity}) {
    CAPTURE(huge);
    const std::string message = input_error_of_config(huge);
    INFO("message: " << message);
    CHECK(message.find("hand-made") != std::string::npos);
    CHECK(message.find("aabb_scale") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500));
  nerds::Dataset data;
  data.aabb_scale = 128.f;
  CHECK(nerds::make_train_config(nerds::default_method_params(), data).occupancy.cascades == 8);
}
