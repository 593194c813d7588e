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

float auto_max_resolution(const nerds::Dataset& data, const std::string& extra = "") {
  nerds::ParamSet p = nerds::default_method_params();
  if (!extra.empty()) p.set_from_string(extra);
  return nerds::make_train_config(p, data).network.grid.max_resolution;
}

}  // namespace

TEST_CASE("pixel footprint: the median over frames of distance to the box centre over fx") {
  nerds::Dataset data;
  CHECK(nerds::median_pixel_footprint(data) == 0.f);
  data.frames = {frame_at(1.f, 100.f), frame_at(2.f, 100.f), frame_at(30.f, 100.f)};
  CHECK(nerds::median_pixel_footprint(data) == doctest::Approx(0.02f));
}

TEST_CASE("march.steps = 0: the fewest power-of-two steps no longer than two footprints, 256 to 1024") {
  nerds::Dataset data;
  // Footprint sqrt(3)/723 (lego at 400 px): 256 steps are longer than two pixels, 512 are not.
  data.frames = {frame_at(1.33f, 1.33f * 723.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 512.f));
  // Footprint sqrt(3)/1446 (800 px): 1024.
  data.frames = {frame_at(1.33f, 1.33f * 1446.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 1024.f));
  // Finer than the paper's step: still the paper's 1024. Coarse pixels (lego at 100 px,
  // sqrt(3)/181, or 10 px): never fewer than 256.
  data.frames = {frame_at(1.33f, 1.33f * 5000.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 1024.f));
  data.frames = {frame_at(1.33f, 1.33f * 181.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 256.f));
  data.frames = {frame_at(1.33f, 1.33f * 10.f / kSqrt3)};
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 256.f));
  // A step given explicitly wins; a larger box (cone-traced, aabb_scale > 1) keeps the paper's.
  data.frames = {frame_at(1.33f, 1.33f * 181.f / kSqrt3)};
  CHECK(auto_dt_min(data, "march.steps=512") == doctest::Approx(kSqrt3 / 512.f));
  data.aabb_scale = 4.f;
  CHECK(auto_dt_min(data) == doctest::Approx(kSqrt3 / 1024.f));
}

TEST_CASE("encoding.max_resolution = 0: the paper's 2048, halved while a pixel's footprint spans 4 finest cells") {
  nerds::Dataset data;
  // Footprint sqrt(3)/181 (lego at 100 px, 0.0096): 512 * 0.0096 = 4.9 cells, 256 would give 2.4.
  data.frames = {frame_at(1.33f, 1.33f * 181.f / kSqrt3)};
  CHECK(auto_max_resolution(data) == 512.f);
  // 400 px (footprint 0.0024): 1024 cells would give 2.5 per footprint, so the paper's 2048.
  data.frames = {frame_at(1.33f, 1.33f * 723.f / kSqrt3)};
  CHECK(auto_max_resolution(data) == 2048.f);
  // Very coarse pixels: never below encoding.base_resolution.
  data.frames = {frame_at(1.33f, 1.33f * 2.f / kSqrt3)};
  CHECK(auto_max_resolution(data) == 16.f);
  CHECK(auto_max_resolution(data, "encoding.base_resolution=32") == 32.f);
  // A value given explicitly wins (per unit of box, times aabb_scale); a larger box keeps the paper's.
  data.frames = {frame_at(1.33f, 1.33f * 181.f / kSqrt3)};
  CHECK(auto_max_resolution(data, "encoding.max_resolution=2048") == 2048.f);
  data.aabb_scale = 4.f;
  CHECK(auto_max_resolution(data) == 2048.f * 4.f);
  CHECK(auto_max_resolution(data, "encoding.max_resolution=1024") == 1024.f * 4.f);
}

TEST_CASE("auto march steps and N_max on NeRF-synthetic lego: 256 and 512 at 100 px, 512 and 2048 at 400 px") {
  const std::string root = std::string(NERDS_SHARED_DATASETS);
  if (!std::filesystem::exists(root + "/lego_100/transforms_train.json") ||
      !std::filesystem::exists(root + "/lego_400/transforms_train.json")) {
    MESSAGE("skipped: " << root << "/lego_100 or lego_400 is absent");
    return;
  }
  nerds::DatasetOptions o;
  o.load_images = false;
  const nerds::Dataset lego_100 = nerds::load_dataset(root + "/lego_100", o);
  const nerds::Dataset lego_400 = nerds::load_dataset(root + "/lego_400", o);
  CHECK(auto_dt_min(lego_100) == doctest::Approx(kSqrt3 / 256.f));
  CHECK(auto_dt_min(lego_400) == doctest::Approx(kSqrt3 / 512.f));
  CHECK(auto_max_resolution(lego_100) == 512.f);
  CHECK(auto_max_resolution(lego_400) == 2048.f);
}
