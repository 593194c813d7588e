// The camera checks every loader applies (renderer/data/camera_checks.h): finite but absurd
// camera values (focal length, principal point, distortion, position) and cameras that all
// miss the scene box are InputErrors naming the file and the field, when loading.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/data/camera_checks.h"
#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"
#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/input_errors.h"

namespace fs = std::filesystem;
using nerds_test::check_mentions;
using nlohmann::json;

namespace {

constexpr int kW = 8, kH = 6;

// A camera at world (x, y, 3) looking down world -z at the scene (identity rotation).
json camera_at(double x, double y) {
  return json::array({json::array({1, 0, 0, x}), json::array({0, 1, 0, y}), json::array({0, 0, 1, 3}),
                      json::array({0, 0, 0, 1})});
}

// An instant-ngp transforms.json of 3 frames (8x6, fl_x 8, k1 0.05) whose cameras see the
// default box (scale 0.33, offset 0.5); returns the JSON for tests to edit.
json write_scene(const fs::path& dir) {
  fs::create_directories(dir / "images");
  json root = {{"fl_x", 8.0}, {"cx", 4.0}, {"cy", 3.0}, {"w", kW}, {"h", kH}, {"k1", 0.05}, {"frames", json::array()}};
  for (int i = 0; i < 3; ++i) {
    nerds::Image8 image;
    image.width = kW;
    image.height = kH;
    image.channels = 3;
    image.pixels.assign(static_cast<size_t>(kW) * kH * 3, static_cast<uint8_t>(40 * i));
    const std::string name = "images/f_" + std::to_string(i) + ".png";
    nerds::write_png((dir / name).string(), image);
    root["frames"].push_back({{"file_path", name}, {"transform_matrix", camera_at(0.2 * i, -0.1 * i)}});
  }
  std::ofstream(dir / "transforms.json") << root.dump(2);
  return root;
}

std::string error_with(const fs::path& dir, const json& root) {
  std::ofstream(dir / "transforms.json") << root.dump(2);
  return nerds_test::dataset_error(dir.string(), {"all", 1, false});
}

// The same root with one top-level field set (or, with a null value, removed).
json with(json root, const std::string& key, const json& value) {
  if (value.is_null()) root.erase(key);
  else root[key] = value;
  return root;
}

// A camera looking down -z from `eye` (engine frame), with 8x6 pixels and focal 8.
nerds::Frame frame_at(float x, float y, float z) {
  nerds::Frame f;
  f.pose.m[0][3] = x;
  f.pose.m[1][3] = y;
  f.pose.m[2][3] = z;
  f.intrinsics.width = kW;
  f.intrinsics.height = kH;
  f.intrinsics.fx = f.intrinsics.fy = 8.f;
  f.intrinsics.cx = kW / 2.f;
  f.intrinsics.cy = kH / 2.f;
  return f;
}

}  // namespace

TEST_CASE("camera checks: a sane instant-ngp scene loads, distortion and all") {
  nerds_test::TempFolder tmp("camera_ok");
  write_scene(tmp.path());
  const nerds::Dataset d = nerds::load_dataset(tmp.str(), {"all", 1, false});
  CHECK(d.frames.size() == 3);
  CHECK(d.frames[0].intrinsics.k1 == doctest::Approx(0.05f));
}

TEST_CASE("camera checks: absurd focal lengths, principal points and distortion are named by field") {
  nerds_test::TempFolder tmp("camera_fields");
  const json good = write_scene(tmp.path());
  const std::string file = (tmp.path() / "transforms.json").string();
  // Focal lengths no lens has: the field of view is named, with the bounds.
  check_mentions(error_with(tmp.path(), with(good, "fl_x", 1e-300)), {file, "fl_x", "field of view", "179"});
  check_mentions(error_with(tmp.path(), with(good, "fl_x", 1e300)), {file, "fl_x", "field of view", "0.01"});
  check_mentions(error_with(tmp.path(), with(good, "fl_x", 0.0)), {file, "fl_x", "positive"});
  check_mentions(error_with(tmp.path(), with(good, "fl_x", -1.0)), {file, "fl_x", "positive"});
  check_mentions(error_with(tmp.path(), with(good, "fl_y", 1e30)), {file, "fl_y", "field of view"});
  // The field of view itself, when it stands for the focal length.
  json by_angle = with(good, "fl_x", nullptr);
  by_angle["camera_angle_x"] = 1e-300;
  check_mentions(error_with(tmp.path(), by_angle), {file, "camera_angle_x", "field of view"});
  // A principal point far outside the image.
  check_mentions(error_with(tmp.path(), with(good, "cx", 1e30)), {file, "cx", "principal point", "-8", "16"});
  check_mentions(error_with(tmp.path(), with(good, "cy", -1e30)), {file, "cy", "principal point"});
  // Distortion out of the model's range: not invertible, folding, or not even a float.
  check_mentions(error_with(tmp.path(), with(good, "k1", 1e30)), {file, "k1 k2 p1 p2", "distortion"});
  check_mentions(error_with(tmp.path(), with(good, "k1", -10.0)), {file, "k1 k2 p1 p2", "distortion"});
  check_mentions(error_with(tmp.path(), with(good, "p1", 1e30)), {file, "k1 k2 p1 p2", "distortion"});
  check_mentions(error_with(tmp.path(), with(good, "k2", 1e39)), {file, "k1 k2 p1 p2", "finite"});
  // A frame's own value (nerfstudio) is named as the frame's field.
  json per_frame = good;
  per_frame["frames"][2]["fl_x"] = 1e300;
  check_mentions(error_with(tmp.path(), per_frame), {file, "frames[2].fl_x", "field of view"});
  per_frame = good;
  per_frame["frames"][1]["k1"] = 1e30;
  check_mentions(error_with(tmp.path(), per_frame), {file, "frames[1].k1 k2 p1 p2"});
}

TEST_CASE("camera checks: a camera 1e30 away, or cameras that all miss the box, are refused by name") {
  nerds_test::TempFolder tmp("camera_box");
  const json good = write_scene(tmp.path());
  const std::string file = (tmp.path() / "transforms.json").string();
  json far = good;
  far["frames"][1]["transform_matrix"][0][3] = 1e30;
  check_mentions(error_with(tmp.path(), far), {file, "frames[1].transform_matrix", "box units"});
  far["frames"][1]["transform_matrix"][0][3] = 1e39;  // beyond float: infinite in the engine's frame
  check_mentions(error_with(tmp.path(), far), {file, "frames[1].transform_matrix"});
  // Every camera turned around (180 degrees about y): they look away from the box.
  json away = good;
  for (json& f : away["frames"]) {
    f["transform_matrix"][0][0] = -1;
    f["transform_matrix"][2][2] = -1;
  }
  check_mentions(error_with(tmp.path(), away), {file, "frames", "none of the 3 cameras", "scene box", "offset"});
  // One camera still looking is enough.
  away["frames"][1] = good["frames"][1];
  CHECK(error_with(tmp.path(), away) == "(no InputError thrown)");
  // The box moved away from every camera by the offset.
  check_mentions(error_with(tmp.path(), with(good, "offset", {500.0, 0.5, 0.5})), {file, "scene box", "offset"});
}

TEST_CASE("camera checks: a far camera sees a small box between its probed rays, one inside sees it") {
  // 400 box units away with an 8-pixel image the box is a fraction of a pixel: no probed ray
  // meets it, but its center projects into the image.
  CHECK_NOTHROW(nerds::check_cameras_see_box({frame_at(0.5f, 0.5f, 400.f)}, 1.f, "f", "train"));
  CHECK_NOTHROW(nerds::check_cameras_see_box({frame_at(0.5f, 0.5f, 0.5f)}, 1.f, "f", "train"));
  // The same far camera shifted sideways out of its own view misses it.
  CHECK_THROWS_AS(nerds::check_cameras_see_box({frame_at(300.f, 0.5f, 400.f)}, 1.f, "f", "train"),
                  nerds::InputError);
  // The box grows with aabb_scale.
  CHECK_THROWS_AS(nerds::check_cameras_see_box({frame_at(3.f, 0.5f, 0.5f)}, 1.f, "f", "train"), nerds::InputError);
  nerds::Frame looking_at_box = frame_at(3.f, 0.5f, 3.f);
  CHECK_THROWS_AS(nerds::check_cameras_see_box({looking_at_box}, 1.f, "f", "train"), nerds::InputError);
  CHECK_NOTHROW(nerds::check_cameras_see_box({looking_at_box}, 8.f, "f", "train"));
}

TEST_CASE("camera checks: focal length and principal point bounds at their ends") {
  CHECK_NOTHROW(nerds::check_focal_length(8.0, 8, "f", "fl_x"));
  // 179 degrees: focal = side / (2 tan(89.5 deg)).
  const double wide = 0.5 * 800 / std::tan(89.4 * M_PI / 180.0);
  CHECK_NOTHROW(nerds::check_focal_length(wide, 800, "f", "fl_x"));
  CHECK_THROWS_AS(nerds::check_focal_length(wide * 0.5, 800, "f", "fl_x"), nerds::InputError);
  CHECK_THROWS_AS(nerds::check_focal_length(std::numeric_limits<double>::quiet_NaN(), 800, "f", "fl_x"),
                  nerds::InputError);
  CHECK_THROWS_AS(nerds::check_focal_length(std::numeric_limits<double>::infinity(), 800, "f", "fl_x"),
                  nerds::InputError);
  CHECK_NOTHROW(nerds::check_principal_point(-800.0, 800, "f", "cx"));
  CHECK_NOTHROW(nerds::check_principal_point(1600.0, 800, "f", "cx"));
  CHECK_THROWS_AS(nerds::check_principal_point(1601.0, 800, "f", "cx"), nerds::InputError);
  CHECK_THROWS_AS(nerds::check_principal_point(std::numeric_limits<double>::quiet_NaN(), 800, "f", "cx"),
                  nerds::InputError);
}

TEST_CASE("camera checks: NeRF-synthetic's camera_angle_x of 1e-300 is named") {
  nerds_test::TempFolder tmp("camera_synthetic");
  fs::create_directories(tmp.path() / "train");
  nerds::Image8 image;
  image.width = kW;
  image.height = kH;
  image.channels = 4;
  image.pixels.assign(static_cast<size_t>(kW) * kH * 4, 200);
  nerds::write_png((tmp.path() / "train" / "r_0.png").string(), image);
  const json root = {{"camera_angle_x", 1e-300},
                     {"frames", json::array({{{"file_path", "./train/r_0"}, {"transform_matrix", camera_at(0, 0)}}})}};
  std::ofstream(tmp.path() / "transforms_train.json") << root.dump();
  check_mentions(nerds_test::dataset_error(tmp.str(), {"train", 1, false}), {"transforms_train.json", "camera_angle_x", "field of view"});
}
