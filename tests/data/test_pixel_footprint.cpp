// The training pixels' footprint at the scene's centre, and the marcher's default step that
// follows it (march.steps = 0: the fewest power-of-two steps no longer than the footprint, at
// most the paper's 1024).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "renderer/data/dataset.h"
#include "renderer/data/pixel_footprint.h"
#include "renderer/techniques/core/modules.h"

namespace {

constexpr float kSqrt3 = 1.7320508f;

// A frame whose camera sits `distance` from the box centre (0.5, 0.5, 0.5) with focal fx.
nerds::Frame frame_at(float distance, float fx) {
  nerds::Frame f;
  f.pose.m[0][3] = 0.5f;
  f.pose.m[1][3] = 0.5f + distance;
  f.pose.m[2][3] = 0.5f;
  f.intrinsics.fx = f.intrinsics.fy = fx;
  f.intrinsics.width = f.intrinsics.height = 100;
  return f;
}

float auto_dt_min(const nerds::Dataset& data, const std::string& extra = "") {
  nerds::ParamSet p = nerds::default_method_params();
  if (!extra.empty()) p.set_from_string(extra);
  return nerds::make_train_config(p, data).march.dt_min;
}

}  // namespace

TEST_CASE("pixel footprint: the median over frames of distance to the box centre over fx") {
  nerds::Dataset data;
  CHECK(nerds::median_pixel_footprint(data) == 0.f);
  data.frames = {frame_at(1.f, 100.f), frame_at(2.f, 100.f), frame_at(30.f, 100.f)};
  CHECK(nerds::median_pixel_footprint(data) == doctest::Approx(0.02f));
}

TEST_CASE("march.steps = 0: the fewest power-of-two steps no longer than the footprint, 64 to 1024") {
  nerds::Dataset data;
  // Footprint sqrt(3)/181 (lego at 100 px): 128 steps would be longer than a pixel, 256 are not.
  data.frames = {frame_at(1.33f, 1.33f * 181.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 256.f));
  // Footprint sqrt(3)/723 (lego at 400 px): 1024.
  data.frames = {frame_at(1.33f, 1.33f * 723.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 1024.f));
  // Finer than the paper's step: still the paper's 1024. Coarser than 64 steps: 64.
  data.frames = {frame_at(1.33f, 1.33f * 5000.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 1024.f));
  data.frames = {frame_at(1.33f, 1.33f * 10.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 64.f));
  // A step given explicitly wins; a larger box (cone-traced, aabb_scale > 1) keeps the paper's.
  data.frames = {frame_at(1.33f, 1.33f * 181.f / kSqrt3)};
  CHECK(auto_dt_min(data, "march.steps=512") == doctest::Approx(kSqrt3 / 512.f));
  data.aabb_scale = 4.f;
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 1024.f));
}

TEST_CASE("march.steps = 0 on NeRF-synthetic lego: 256 steps at 100 px, 1024 at 400 px") {
  const std::string root = std::string(NERDS_SHARED_DATASETS);
  if (!std::filesystem::exists(root + "/lego_100/transforms_train.json") ||
      !std::filesystem::exists(root + "/lego_400/transforms_train.json")) {
    MESSAGE("skipped: " << root << "/lego_100 or lego_400 is absent");
    return;
  }
  nerds::DatasetOptions o;
  o.load_images = false;
  CHECK(auto_dt_min(nerds::load_dataset(root + "/lego_100", o)) == doctest::Approx(kSqrt3 / 256.f));
  CHECK(auto_dt_min(nerds::load_dataset(root + "/lego_400", o)) == doctest::Approx(kSqrt3 / 1024.f));
}
