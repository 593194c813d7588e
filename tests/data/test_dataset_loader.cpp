// load_dataset on small NeRF-synthetic and instant-ngp scenes written here, on every kind of
// bad input, and on the real reference datasets when they are present.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"
#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/text_files.h"
#include "tests/test_support/input_errors.h"

namespace fs = std::filesystem;
using nerds::DatasetOptions;
using nerds::Vec3;
using nlohmann::json;

namespace {

using nerds_test::check_mentions;
using nerds_test::dataset_error;

using nerds_test::write_json;
using nerds_test::write_text;

// A camera at (2, 0, 0) looking down -x with +z up: its x axis is world +y, its y axis world
// +z, its z axis (it looks down -z) world +x. Row-major camera-to-world, OpenGL convention.
json side_camera_matrix() {
  return json::array({json::array({0, 0, 1, 2}), json::array({1, 0, 0, 0}), json::array({0, 1, 0, 0}),
                      json::array({0, 0, 0, 1})});
}

json translated_matrix(double x, double y, double z) {
  return json::array({json::array({1, 0, 0, x}), json::array({0, 1, 0, y}), json::array({0, 0, 1, z}),
                      json::array({0, 0, 0, 1})});
}

// A recognizable image: every byte depends on the frame, the pixel and the channel.
nerds::Image8 frame_image(int width, int height, int channels, int seed) {
  nerds::Image8 image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.pixels.resize(static_cast<size_t>(width) * height * channels);
  for (size_t i = 0; i < image.pixels.size(); ++i)
    image.pixels[i] = static_cast<uint8_t>((i * 29 + static_cast<size_t>(seed) * 53 + 7) % 256);
  if (channels == 4)  // a real alpha channel, not all 255
    for (size_t i = 3; i < image.pixels.size(); i += 4) image.pixels[i] = static_cast<uint8_t>(i % 256);
  return image;
}



// NeRF-synthetic: 8x6 RGBA images, camera_angle_x = 2 atan(0.5) so focal = 0.5*8/0.5 = 8.
constexpr int kSynthW = 8, kSynthH = 6;
const double kSynthAngle = 2.0 * std::atan(0.5);

json synthetic_split(const fs::path& dir, const std::string& split, int frames, int seed) {
  fs::create_directories(dir / split);
  json root = {{"camera_angle_x", kSynthAngle}, {"frames", json::array()}};
  for (int i = 0; i < frames; ++i) {
    nerds::write_png((dir / split / ("r_" + std::to_string(i) + ".png")).string(),
                     frame_image(kSynthW, kSynthH, 4, seed + i));
    const json matrix = i == 0 ? side_camera_matrix() : translated_matrix(0.1 * i, -0.2 * i, 3.0);
    root["frames"].push_back({{"file_path", "./" + split + "/r_" + std::to_string(i)}, {"transform_matrix", matrix}});
  }
  return root;
}

// Writes train (3 frames), val (1) and test (2); returns the train JSON for tests to edit.
json write_synthetic_scene(const fs::path& dir) {
  const json train = synthetic_split(dir, "train", 3, 0);
  write_json(dir / "transforms_train.json", train);
  write_json(dir / "transforms_val.json", synthetic_split(dir, "val", 1, 100));
  write_json(dir / "transforms_test.json", synthetic_split(dir, "test", 2, 200));
  return train;
}

// instant-ngp: 10x8 RGB JPG-like (3-channel PNG) images, 10 frames, distortion k1 only.
constexpr int kNgpW = 10, kNgpH = 8;

json write_ngp_scene(const fs::path& dir, int frames = 10) {
  fs::create_directories(dir / "images");
  json root = {{"fl_x", 9.0},       {"fl_y", 11.0},         {"cx", 4.5},      {"cy", 3.25},
               {"w", kNgpW},        {"h", kNgpH},           {"k1", 0.05},     {"k2", 0.0},
               {"p1", 0.0},         {"p2", 0.0},            {"scale", 0.5},   {"offset", {1.0, 2.0, 3.0}},
               {"aabb_scale", 2},   {"frames", json::array()}};
  for (int i = 0; i < frames; ++i) {
    const std::string name = "images/f_" + std::to_string(i) + ".png";
    nerds::write_png((dir / name).string(), frame_image(kNgpW, kNgpH, 3, i));
    const json matrix = i == 1 ? side_camera_matrix() : translated_matrix(0.3 * i, 0.1, -0.2 * i);
    root["frames"].push_back({{"file_path", name}, {"transform_matrix", matrix}});
  }
  write_json(dir / "transforms.json", root);
  return root;
}



// The pixel that world point p (in the dataset's source coordinates) lands on in frame i:
// into the engine frame, through the inverse pose, then camera_to_pixel.
bool project(const nerds::Dataset& d, size_t i, Vec3 world, float* px, float* py) {
  const Vec3 p = world * d.scale + d.offset;
  const nerds::Pose& pose = d.frames[i].pose;
  const Vec3 rel = p - pose.origin();
  Vec3 cam;  // R^T (p - t)
  for (int c = 0; c < 3; ++c) cam[c] = pose.m[0][c] * rel.x + pose.m[1][c] * rel.y + pose.m[2][c] * rel.z;
  return nerds::camera_to_pixel(d.frames[i].intrinsics, cam, px, py);
}

}  // namespace

TEST_CASE("NeRF-synthetic: focal from camera_angle_x, centered principal point, engine-frame poses") {
  nerds_test::TempFolder folder("synthetic");
  write_synthetic_scene(folder.path());
  const nerds::Dataset d = nerds::load_dataset(folder.str());
  CHECK(d.format == "nerf_synthetic");
  CHECK(d.split == "train");
  REQUIRE(d.frames.size() == 3);
  CHECK(d.width == kSynthW);
  CHECK(d.height == kSynthH);
  CHECK(d.has_alpha);
  CHECK(d.scale == doctest::Approx(0.33f));
  CHECK(d.offset.x == doctest::Approx(0.5f));
  CHECK(d.aabb_scale == doctest::Approx(1.f));
  const nerds::Intrinsics& k = d.frames[2].intrinsics;
  CHECK(k.fx == doctest::Approx(8.f));
  CHECK(k.fy == doctest::Approx(8.f));
  CHECK(k.cx == doctest::Approx(4.f));
  CHECK(k.cy == doctest::Approx(3.f));
  CHECK(k.width == kSynthW);
  CHECK_FALSE(k.distorted());
  CHECK(fs::path(d.frames[1].image_path).filename() == "r_1.png");

  // Translation (0.2, -0.4, 3) -> t * 0.33 + 0.5; rotation unchanged.
  const nerds::Pose& pose = d.frames[2].pose;
  CHECK(pose.m[0][3] == doctest::Approx(0.2 * 0.33 + 0.5));
  CHECK(pose.m[1][3] == doctest::Approx(-0.4 * 0.33 + 0.5));
  CHECK(pose.m[2][3] == doctest::Approx(3.0 * 0.33 + 0.5));
  CHECK(pose.m[0][0] == 1.f);
  CHECK(d.frames[0].pose.m[1][0] == 1.f);

  // Pixels are the files' RGBA bytes, frame after frame.
  REQUIRE(d.rgba.size() == 3u * kSynthW * kSynthH * 4);
  const nerds::Image8 expected = frame_image(kSynthW, kSynthH, 4, 1);
  CHECK(std::equal(expected.pixels.begin(), expected.pixels.end(), d.image(1)));

  CHECK(nerds::load_dataset(folder.str(), {"val", 1, true}).frames.size() == 1);
  const nerds::Dataset all = nerds::load_dataset(folder.str(), {"all", 1, false});
  REQUIRE(all.frames.size() == 6);  // train, then val, then test
  CHECK(fs::path(all.frames[3].image_path).parent_path().filename() == "val");
  CHECK(fs::path(all.frames[5].image_path).parent_path().filename() == "test");
  CHECK(all.rgba.empty());
  CHECK(all.width == kSynthW);
}

TEST_CASE("NeRF-synthetic: a known world point lands on a known pixel") {
  nerds_test::TempFolder folder("synthetic_projection");
  write_synthetic_scene(folder.path());
  const nerds::Dataset d = nerds::load_dataset(folder.str(), {"train", 1, false});
  // Frame 0 sits at (2,0,0) looking down -x. The point (0, 0.5, 0.25) is 2 ahead, 0.5 to
  // the right (world +y) and 0.25 up (world +z): pixel (4 + 8*0.5/2, 3 - 8*0.25/2) = (6, 2).
  float px = 0, py = 0;
  REQUIRE(project(d, 0, nerds::make_vec3(0.f, 0.5f, 0.25f), &px, &py));
  CHECK(px == doctest::Approx(6.f).epsilon(1e-5));
  CHECK(py == doctest::Approx(2.f).epsilon(1e-5));
  // A point behind that camera does not project.
  CHECK_FALSE(project(d, 0, nerds::make_vec3(3.f, 0.f, 0.f), &px, &py));
}

TEST_CASE("instant-ngp transforms.json: intrinsics, distortion, scale/offset, every-8th holdout") {
  nerds_test::TempFolder folder("ngp");
  write_ngp_scene(folder.path());
  const nerds::Dataset train = nerds::load_dataset(folder.str());
  CHECK(train.format == "transforms");
  REQUIRE(train.frames.size() == 8);  // frames 0 and 8 are held out
  CHECK(fs::path(train.frames[0].image_path).filename() == "f_1.png");
  CHECK(fs::path(train.frames[7].image_path).filename() == "f_9.png");
  CHECK_FALSE(train.has_alpha);
  CHECK(train.aabb_scale == doctest::Approx(2.f));
  CHECK(train.scale == doctest::Approx(0.5f));
  CHECK(train.offset.z == doctest::Approx(3.f));
  const nerds::Intrinsics& k = train.frames[0].intrinsics;
  CHECK(k.fx == doctest::Approx(9.f));
  CHECK(k.fy == doctest::Approx(11.f));
  CHECK(k.cx == doctest::Approx(4.5f));
  CHECK(k.cy == doctest::Approx(3.25f));
  CHECK(k.k1 == doctest::Approx(0.05f));
  CHECK(k.width == kNgpW);
  CHECK(k.height == kNgpH);
  // Frame 2: translation (0.6, 0.1, -0.4) -> * 0.5 + (1, 2, 3).
  CHECK(train.frames[1].pose.m[0][3] == doctest::Approx(1.3f));
  CHECK(train.frames[1].pose.m[1][3] == doctest::Approx(2.05f));
  CHECK(train.frames[1].pose.m[2][3] == doctest::Approx(2.8f));
  // RGB images get alpha 255.
  const uint8_t* rgba = train.image(0);
  const nerds::Image8 rgb = frame_image(kNgpW, kNgpH, 3, 1);
  CHECK(rgba[4 * 5 + 0] == rgb.pixels[3 * 5 + 0]);
  CHECK(rgba[4 * 5 + 2] == rgb.pixels[3 * 5 + 2]);
  CHECK(rgba[4 * 5 + 3] == 255);

  const nerds::Dataset test = nerds::load_dataset(folder.str(), {"test", 1, false});
  REQUIRE(test.frames.size() == 2);
  CHECK(fs::path(test.frames[1].image_path).filename() == "f_8.png");
  CHECK(nerds::load_dataset(folder.str(), {"val", 1, false}).frames.size() == 2);
  CHECK(nerds::load_dataset(folder.str(), {"all", 1, false}).frames.size() == 10);
}

TEST_CASE("instant-ngp: a known world point lands on the OpenCV-distorted pixel") {
  nerds_test::TempFolder folder("ngp_projection");
  write_ngp_scene(folder.path());
  const nerds::Dataset d = nerds::load_dataset(folder.str(), {"train", 1, false});
  // frames[0] is the file's frame 1: the side camera at (2,0,0) looking down -x. The point
  // (0, 0.5, 0.25) is, in OpenCV's camera frame (x right, y down, z ahead), (0.5, -0.25, 2).
  const double x = 0.25, y = -0.125, r2 = x * x + y * y, radial = 1 + 0.05 * r2;
  const double expected_u = 9.0 * x * radial + 4.5;   // 6.7587890625
  const double expected_v = 11.0 * y * radial + 3.25;  // 1.8696289...
  float px = 0, py = 0;
  REQUIRE(project(d, 0, nerds::make_vec3(0.f, 0.5f, 0.25f), &px, &py));
  CHECK(px == doctest::Approx(expected_u).epsilon(1e-5));
  CHECK(py == doctest::Approx(expected_v).epsilon(1e-5));

  // And back: the ray through that pixel, rotated into the world, points at the point.
  const Vec3 dir_cam = nerds::pixel_to_camera_dir(d.frames[0].intrinsics, px, py);
  const Vec3 dir_world = nerds::normalize(d.frames[0].pose.rotate(dir_cam));
  const Vec3 target = nerds::make_vec3(0.f, 0.5f, 0.25f) * d.scale + d.offset;
  const Vec3 to_target = nerds::normalize(target - d.frames[0].pose.origin());
  CHECK(nerds::dot(dir_world, to_target) == doctest::Approx(1.f).epsilon(1e-6));
}

TEST_CASE("nerfstudio style: per-frame intrinsics, and camera_angle_x when fl_x is absent") {
  nerds_test::TempFolder folder("nerfstudio");
  json root = write_ngp_scene(folder.path(), 3);
  for (const char* key : {"fl_x", "fl_y", "cx", "cy", "w", "h", "k1", "k2", "p1", "p2", "scale", "offset", "aabb_scale"})
    root.erase(key);
  for (json& frame : root["frames"]) {
    frame["fl_x"] = 7.0;
    frame["fl_y"] = 7.5;
    frame["cx"] = 5.0;
    frame["cy"] = 4.0;
    frame["w"] = kNgpW;
    frame["h"] = kNgpH;
  }
  root["frames"][2]["fl_x"] = 6.0;  // a frame's own value wins
  write_json(folder.path() / "transforms.json", root);
  const nerds::Dataset d = nerds::load_dataset(folder.str(), {"all", 1, false});
  REQUIRE(d.frames.size() == 3);
  CHECK(d.frames[0].intrinsics.fx == doctest::Approx(7.f));
  CHECK(d.frames[0].intrinsics.fy == doctest::Approx(7.5f));
  CHECK(d.frames[2].intrinsics.fx == doctest::Approx(6.f));
  CHECK(d.scale == doctest::Approx(0.33f));  // instant-ngp's defaults
  CHECK(d.offset.y == doctest::Approx(0.5f));
  CHECK(d.aabb_scale == doctest::Approx(1.f));

  // Only a field of view: focal = 0.5 w / tan(0.5 angle); w/h from the images; fy = fx.
  json by_angle = {{"camera_angle_x", 2.0 * std::atan(0.25)}, {"frames", root["frames"]}};
  for (json& frame : by_angle["frames"])
    for (const char* key : {"fl_x", "fl_y", "cx", "cy", "w", "h"}) frame.erase(key);
  write_json(folder.path() / "transforms.json", by_angle);
  const nerds::Dataset a = nerds::load_dataset(folder.str(), {"all", 1, false});
  CHECK(a.frames[0].intrinsics.fx == doctest::Approx(0.5 * kNgpW / 0.25));
  CHECK(a.frames[0].intrinsics.fy == doctest::Approx(0.5 * kNgpW / 0.25));
  CHECK(a.frames[0].intrinsics.cx == doctest::Approx(kNgpW / 2.0));
  CHECK(a.frames[0].intrinsics.height == kNgpH);
}

TEST_CASE("downscale divides the images and the intrinsics") {
  nerds_test::TempFolder folder("downscale");
  write_ngp_scene(folder.path());
  const nerds::Dataset d = nerds::load_dataset(folder.str(), {"train", 2, true});
  CHECK(d.width == kNgpW / 2);
  CHECK(d.height == kNgpH / 2);
  const nerds::Intrinsics& k = d.frames[0].intrinsics;
  CHECK(k.fx == doctest::Approx(4.5f));
  CHECK(k.fy == doctest::Approx(5.5f));
  CHECK(k.cx == doctest::Approx(2.25f));
  CHECK(k.cy == doctest::Approx(1.625f));
  CHECK(k.width == kNgpW / 2);
  CHECK(k.k1 == doctest::Approx(0.05f));  // normalized-coordinate distortion is unchanged
  // Output pixel (1, 2) is the rounded mean of source pixels (2..3, 4..5), per channel.
  const nerds::Image8 source = frame_image(kNgpW, kNgpH, 3, 1);
  for (int c = 0; c < 3; ++c) {
    int sum = 0;
    for (int y = 4; y < 6; ++y)
      for (int x = 2; x < 4; ++x) sum += source.pixels[(y * kNgpW + x) * 3 + c];
    CHECK(d.image(0)[(2 * d.width + 1) * 4 + c] == (sum + 2) / 4);
  }

  nerds_test::TempFolder synthetic("downscale_synthetic");
  write_synthetic_scene(synthetic.path());
  const nerds::Dataset s = nerds::load_dataset(synthetic.str(), {"train", 2, false});
  CHECK(s.frames[0].intrinsics.fx == doctest::Approx(4.f));  // half of 8
  CHECK(s.width == kSynthW / 2);
}

TEST_CASE("bad dataset folders and options are InputErrors naming the file and the field") {
  nerds_test::TempFolder folder("bad_folder");
  check_mentions(dataset_error(folder.path() / "no_such_scene"), {"no_such_scene", "not found"});
  check_mentions(dataset_error(folder.path()), {folder.str(), "transforms.json", "transforms_train.json"});

  write_synthetic_scene(folder.path());
  check_mentions(dataset_error(folder.path(), {"bogus", 1, true}), {folder.str(), "split", "bogus"});
  check_mentions(dataset_error(folder.path(), {"train", 0, true}), {folder.str(), "downscale"});
  check_mentions(dataset_error(folder.path(), {"train", 7, true}), {folder.str(), "downscale"});  // 6 rows
  fs::remove(folder.path() / "transforms_val.json");
  check_mentions(dataset_error(folder.path(), {"val", 1, true}), {"transforms_val.json", "not found"});
  check_mentions(dataset_error(folder.path(), {"all", 1, false}), {"transforms_val.json", "not found"});
}

TEST_CASE("bad NeRF-synthetic JSON is an InputError naming the file and the field") {
  nerds_test::TempFolder folder("bad_synthetic");
  json train = write_synthetic_scene(folder.path());
  const fs::path file = folder.path() / "transforms_train.json";
  const std::string file_name = "transforms_train.json";
  auto error_with = [&](const json& edited) {
    write_json(file, edited);
    return dataset_error(folder.path());
  };

  SUBCASE("malformed JSON gives the parser's position") {
    write_text(file, "{\n  \"camera_angle_x\": 0.5,\n  \"frames\": [,]\n}\n");
    check_mentions(dataset_error(folder.path()), {file_name, "malformed JSON", "line 3"});
  }
  SUBCASE("frames missing, of the wrong type, or empty") {
    json edited = train;
    edited.erase("frames");
    check_mentions(error_with(edited), {file_name, "frames", "missing"});
    edited["frames"] = {{"file_path", "x"}};
    check_mentions(error_with(edited), {file_name, "frames", "expected an array"});
    edited["frames"] = json::array();
    check_mentions(error_with(edited), {file_name, "frames is empty"});
  }
  SUBCASE("camera_angle_x missing or not a number") {
    json edited = train;
    edited.erase("camera_angle_x");
    check_mentions(error_with(edited), {file_name, "camera_angle_x", "missing"});
    edited["camera_angle_x"] = "wide";
    check_mentions(error_with(edited), {file_name, "camera_angle_x", "expected a number"});
    edited["camera_angle_x"] = 4.0;
    check_mentions(error_with(edited), {file_name, "camera_angle_x", "(0, pi)"});
  }
  SUBCASE("file_path missing or not a string") {
    json edited = train;
    edited["frames"][0].erase("file_path");
    check_mentions(error_with(edited), {file_name, "frames[0].file_path", "missing"});
    edited["frames"][0]["file_path"] = 12;
    check_mentions(error_with(edited), {file_name, "frames[0].file_path", "expected a string"});
  }
  SUBCASE("transform_matrix missing or misshapen") {
    json edited = train;
    edited["frames"][1].erase("transform_matrix");
    check_mentions(error_with(edited), {file_name, "frames[1].transform_matrix", "missing"});
    edited["frames"][1]["transform_matrix"] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    check_mentions(error_with(edited), {file_name, "frames[1].transform_matrix", "4x4"});
    edited["frames"][1]["transform_matrix"] = translated_matrix(0, 0, 1);
    edited["frames"][1]["transform_matrix"][2][3] = "far";
    check_mentions(error_with(edited), {file_name, "frames[1].transform_matrix", "4x4"});
  }
  SUBCASE("NaN or Infinity in a pose (as Python's json.dump writes them)") {
    json edited = train;
    edited["frames"][1]["transform_matrix"][0][3] = 123456.0;  // a marker to replace
    std::string text = edited.dump(2);
    const std::string nan_text = text.substr(0, text.find("123456")) + "NaN" + text.substr(text.find("123456") + 8);
    write_text(file, nan_text);
    check_mentions(dataset_error(folder.path()), {file_name, "frames[1].transform_matrix", "not finite"});
    const std::string inf_text =
        text.substr(0, text.find("123456")) + "-Infinity" + text.substr(text.find("123456") + 8);
    write_text(file, inf_text);
    check_mentions(dataset_error(folder.path()), {file_name, "frames[1].transform_matrix", "not finite"});
  }
  SUBCASE("a non-rigid pose: scaled, sheared or mirrored") {
    json edited = train;
    json& m = edited["frames"][2]["transform_matrix"];
    m[0][0] = 2.0;  // scaled x axis
    check_mentions(error_with(edited), {file_name, "frames[2].transform_matrix: not a rigid transform"});
    m = translated_matrix(0, 0, 3);
    m[0][1] = 0.01;  // sheared
    check_mentions(error_with(edited), {file_name, "frames[2].transform_matrix: not a rigid transform"});
    m = translated_matrix(0, 0, 3);
    m[2][2] = -1.0;  // mirrored: orthonormal but det = -1
    check_mentions(error_with(edited), {file_name, "frames[2].transform_matrix: not a rigid transform"});
    m = translated_matrix(0, 0, 3);
    m[3][0] = 0.5;  // projective bottom row
    check_mentions(error_with(edited), {file_name, "frames[2].transform_matrix: not a rigid transform"});
    m = translated_matrix(0, 0, 3);
    m[0][1] = 0.0005;  // within the 1e-3 tolerance: accepted
    write_json(file, edited);
    CHECK_NOTHROW(nerds::load_dataset(folder.str(), {"train", 1, false}));
  }
  SUBCASE("a frame's image is missing, with or without loading pixels") {
    fs::remove(folder.path() / "train" / "r_1.png");
    check_mentions(dataset_error(folder.path()), {file_name, "frames[1].file_path", "r_1.png", "not found"});
    check_mentions(dataset_error(folder.path(), {"train", 1, false}), {file_name, "frames[1].file_path", "r_1.png"});
  }
  SUBCASE("an image of another size than the others") {
    nerds::write_png((folder.path() / "train" / "r_2.png").string(), frame_image(kSynthW + 1, kSynthH, 4, 2));
    check_mentions(dataset_error(folder.path()), {file_name, "frames[2].file_path", "r_2.png", "9x6"});
    check_mentions(dataset_error(folder.path(), {"train", 1, false}), {file_name, "frames[2].file_path", "r_2.png"});
  }
  SUBCASE("an image that is not an image") {
    write_text(folder.path() / "train" / "r_1.png", "not a PNG");
    check_mentions(dataset_error(folder.path()), {file_name, "frames[1].file_path", "r_1.png"});
  }
}

TEST_CASE("bad instant-ngp JSON is an InputError naming the file and the field") {
  nerds_test::TempFolder folder("bad_ngp");
  json root = write_ngp_scene(folder.path());
  const fs::path file = folder.path() / "transforms.json";
  auto error_with = [&](const json& edited, DatasetOptions options = {}) {
    write_json(file, edited);
    return dataset_error(folder.path(), options);
  };

  SUBCASE("no focal length at all") {
    json edited = root;
    edited.erase("fl_x");
    check_mentions(error_with(edited), {"transforms.json", "fl_x", "camera_angle_x"});
  }
  SUBCASE("an intrinsic of the wrong type, top level or per frame") {
    json edited = root;
    edited["cx"] = "middle";
    check_mentions(error_with(edited), {"transforms.json", "cx", "expected a number"});
    edited["cx"] = 4.5;
    edited["frames"][3]["fl_y"] = json::array();
    check_mentions(error_with(edited), {"transforms.json", "frames[3].fl_y", "expected a number"});
  }
  SUBCASE("scene fields") {
    json edited = root;
    edited["offset"] = {1, 2};
    check_mentions(error_with(edited), {"transforms.json", "offset"});
    edited["offset"] = {1, 2, 3};
    edited["scale"] = -1;
    check_mentions(error_with(edited), {"transforms.json", "scale"});
  }
  SUBCASE("an unsupported camera model") {
    json edited = root;
    edited["camera_model"] = "OPENCV_FISHEYE";
    check_mentions(error_with(edited), {"transforms.json", "camera_model", "OPENCV_FISHEYE"});
  }
  SUBCASE("a frame image of another size than w x h") {
    nerds::write_png((folder.path() / "images" / "f_4.png").string(), frame_image(kNgpW, kNgpH + 2, 3, 4));
    check_mentions(error_with(root), {"transforms.json", "frames[4].file_path", "f_4.png", "10x10"});
  }
  SUBCASE("per-frame sizes that differ") {
    json edited = root;
    edited["frames"][5]["w"] = kNgpW * 2;
    check_mentions(error_with(edited), {"transforms.json", "frames[5].w"});
  }
  SUBCASE("a pose that is not rigid") {
    json edited = root;
    edited["frames"][2]["transform_matrix"][1][1] = 0.5;
    check_mentions(error_with(edited), {"transforms.json", "frames[2].transform_matrix: not a rigid transform"});
  }
  SUBCASE("empty frames, and a split the holdout leaves empty") {
    json edited = root;
    edited["frames"] = json::array();
    check_mentions(error_with(edited), {"transforms.json", "frames is empty"});
    edited["frames"] = json::array({root["frames"][0]});  // frame 0 is held out: no train frame
    check_mentions(error_with(edited), {"transforms.json", "frames", "'train' is empty"});
    CHECK(error_with(edited, {"test", 1, false}) == "(no InputError thrown)");
  }
}

// The real datasets beside the project (see /work/shared/datasets/README.md).
TEST_CASE("reference datasets: lego_100 (NeRF-synthetic) and fox (instant-ngp)") {
  const fs::path shared = NERDS_SHARED_DATASETS;
  if (!fs::is_directory(shared / "lego_100")) {
    MESSAGE("skipping: no lego_100 under " << shared.string());
    return;
  }
  const nerds::Dataset lego = nerds::load_dataset((shared / "lego_100").string());
  REQUIRE(lego.frames.size() == 100);
  CHECK(lego.width == 100);
  CHECK(lego.height == 100);
  CHECK(lego.has_alpha);
  CHECK(lego.rgba.size() == 100u * 100 * 100 * 4);
  CHECK(lego.frames[0].intrinsics.fx == doctest::Approx(138.89).epsilon(0.01 / 138.89));
  CHECK(lego.frames[0].intrinsics.cx == doctest::Approx(50.f));
  CHECK(nerds::load_dataset((shared / "lego_100").string(), {"test", 1, false}).frames.size() == 200);
  CHECK(nerds::load_dataset((shared / "lego_100").string(), {"all", 1, false}).frames.size() == 400);
  // Every lego camera looks at the scene inside [-1.5, 1.5]^3, i.e. at the engine's unit cube:
  // the world origin (engine (0.5,0.5,0.5)) projects inside every image.
  for (size_t i = 0; i < lego.frames.size(); ++i) {
    float px = -1, py = -1;
    CHECK(project(lego, i, nerds::make_vec3(0.f, 0.f, 0.f), &px, &py));
    CHECK((px > 0 && px < 100 && py > 0 && py < 100));
  }

  if (!fs::is_directory(shared / "fox")) {
    MESSAGE("skipping fox: no fox under " << shared.string());
    return;
  }
  const std::string fox_dir = (shared / "fox").string();
  const nerds::Dataset fox = nerds::load_dataset(fox_dir, {"all", 4, false});
  CHECK(fox.format == "transforms");
  REQUIRE(fox.frames.size() == 50);
  CHECK(fox.aabb_scale == doctest::Approx(4.f));
  CHECK(fox.width == 270);
  CHECK(fox.height == 480);
  CHECK(fox.frames[0].intrinsics.fx == doctest::Approx(1375.52f / 4));
  CHECK(fox.frames[0].intrinsics.cy == doctest::Approx(965.268f / 4));
  CHECK(fox.frames[0].intrinsics.k1 == doctest::Approx(0.0578421f));
  CHECK(fox.frames[0].pose.m[0][3] == doctest::Approx(3.168359405609479 * 0.33 + 0.5));  // images/0001.jpg
  CHECK(nerds::load_dataset(fox_dir, {"train", 4, false}).frames.size() == 43);  // 0, 8, ..., 48 held out

  const nerds::Dataset fox_test = nerds::load_dataset(fox_dir, {"test", 8, true});
  REQUIRE(fox_test.frames.size() == 7);
  CHECK(fox_test.width == 135);
  CHECK(fox_test.height == 240);
  CHECK_FALSE(fox_test.has_alpha);
  REQUIRE(fox_test.rgba.size() == 7u * 135 * 240 * 4);
  CHECK(fox_test.image(6)[3] == 255);
}

TEST_CASE("scene-box fields out of range are InputErrors naming the field, at once (no hang, no crash)") {
  nerds_test::TempFolder folder("scene_box_bounds");
  const json good = write_ngp_scene(folder.path());
  const std::string file = (folder.path() / "transforms.json").string();
  const auto error_with = [&](const char* key, const json& value) {
    json edited = good;
    edited[key] = value;
    write_json(folder.path() / "transforms.json", edited);
    const auto start = std::chrono::steady_clock::now();
    const std::string message = dataset_error(folder.path());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500));
    return message;
  };
  // 1e9 overflowed a hash-grid level's 32-bit resolution (a crash), 1e30 looped on the cascades.
  for (double huge : {1e9, 1e30, 256.0, 128.5, 1e300})
    check_mentions(error_with("aabb_scale", huge), {file, "aabb_scale", "128"});
  check_mentions(error_with("aabb_scale", 0), {file, "aabb_scale"});
  check_mentions(error_with("aabb_scale", -4), {file, "aabb_scale"});
  for (double bad : {1e-30, 1e30, 0.0, -1.0}) check_mentions(error_with("scale", bad), {file, "scale", "1e+06"});
  check_mentions(error_with("offset", json::array({0.5, 1e30, 0.5})), {file, "offset[1]"});
  check_mentions(error_with("offset", json::array({-2e3, 0.5, 0.5})), {file, "offset[0]"});
  // instant-ngp's largest box still loads.
  json largest = good;
  largest["aabb_scale"] = 128;
  write_json(folder.path() / "transforms.json", largest);
  CHECK(nerds::load_dataset(folder.str()).aabb_scale == doctest::Approx(128.f));
}

TEST_CASE("image sizes: w and h beyond the limit, or unlike the image on disk, are refused before allocating") {
  nerds_test::TempFolder folder("declared_sizes");
  const json good = write_ngp_scene(folder.path());
  const std::string file = (folder.path() / "transforms.json").string();
  const auto error_with = [&](const json& w, const json& h) {
    json edited = good;
    edited["w"] = w;
    edited["h"] = h;
    // The focal lengths keep a sane field of view at the declared size (camera_checks.h).
    if (w.is_number() && w.get<double>() <= 16384) edited["fl_x"] = w.get<double>();
    if (h.is_number() && h.get<double>() <= 16384) edited["fl_y"] = h.get<double>();
    write_json(folder.path() / "transforms.json", edited);
    return dataset_error(folder.path());
  };
  check_mentions(error_with(999999, kNgpH), {file, "w", "16384", "999999"});
  check_mentions(error_with(kNgpW, 1e20), {file, "h", "16384"});
  // Within the limit but not the images' size: 9 frames of 16000 x 16000 would be 9 GiB of
  // RGBA; the headers are compared first, so this fails at once and names both sizes.
  check_mentions(error_with(16000, 16000), {file, "frames[1].file_path", "10x8", "16000x16000"});
  // A frame's own w / h (nerfstudio) is named as the frame's field.
  json per_frame = good;
  per_frame["frames"][3]["w"] = 20000;
  per_frame["frames"][3]["h"] = kNgpH;
  write_json(folder.path() / "transforms.json", per_frame);
  check_mentions(dataset_error(folder.path()), {file, "frames[3].w", "16384"});
}
