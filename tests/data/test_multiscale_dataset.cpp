// Datasets whose images differ in size, as Mip-NeRF's multiscale Blender (every view at 1/1,
// 1/2, 1/4, 1/8 size with per-frame w, h and lossmult): where each frame's pixels lie, its
// intrinsics, its lossmult, per-frame downscale, and the InputErrors of a frame whose image
// is not the size it declares.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"
#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/text_files.h"
#include "tests/test_support/input_errors.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using nerds_test::check_mentions;
using nerds_test::dataset_error;

using nerds_test::write_json;

// camera_angle_x = 2 atan(0.5): focal = 0.5 w / 0.5 = w.
const double kAngle = 2.0 * std::atan(0.5);

// An RGBA image whose pixel (x, y) is (tag, x, y, 255), so a test can tell which frame and
// pixel a byte came from.
nerds::Image8 tagged_image(int width, int height, int tag) {
  nerds::Image8 image;
  image.width = width;
  image.height = height;
  image.channels = 4;
  image.pixels.resize(static_cast<size_t>(width) * height * 4);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * width + x) * 4];
      p[0] = static_cast<uint8_t>(tag);
      p[1] = static_cast<uint8_t>(x);
      p[2] = static_cast<uint8_t>(y);
      p[3] = 255;
    }
  return image;
}

json pose_at(double z) {
  return json::array(
      {json::array({1, 0, 0, 0}), json::array({0, 1, 0, 0}), json::array({0, 0, 1, z}), json::array({0, 0, 0, 1})});
}


// A multiscale NeRF-synthetic split, as scenes/generator writes multires/: two views, each at
// 16x12 and 8x6 (lossmult 1 and 4), frames ordered view by view.
json write_two_size_split(const fs::path& dir, const std::string& split) {
  fs::create_directories(dir / split);
  json root = {{"camera_angle_x", kAngle}, {"frames", json::array()}};
  int tag = 0;
  for (int view = 0; view < 2; ++view)
    for (int factor : {1, 2}) {
      const int w = 16 / factor, h = 12 / factor;
      const std::string stem = split + "/r_" + std::to_string(view) + "_d" + std::to_string(factor);
      nerds::write_png((dir / (stem + ".png")).string(), tagged_image(w, h, 10 + tag++));
      root["frames"].push_back({{"file_path", "./" + stem},
                                {"transform_matrix", pose_at(3.0 + view)},
                                {"w", w},
                                {"h", h},
                                {"lossmult", factor * factor}});
    }
  write_json(dir / ("transforms_" + split + ".json"), root);
  return root;
}



}  // namespace

TEST_CASE("multiscale data: frames of two sizes load with their own size, place, intrinsics and lossmult") {
  nerds_test::TempFolder folder("multiscale_two_sizes");
  write_two_size_split(folder.path(), "train");
  const nerds::Dataset d = nerds::load_dataset(folder.str());
  REQUIRE(d.frames.size() == 4);
  REQUIRE(d.frame_images.size() == 4);
  CHECK_FALSE(d.one_image_size());
  CHECK(d.width == 16);  // the largest frame's
  CHECK(d.height == 12);
  const int widths[4] = {16, 8, 16, 8}, heights[4] = {12, 6, 12, 6};
  const uint64_t firsts[4] = {0, 192, 240, 432};
  for (size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    const nerds::Intrinsics& k = d.frames[i].intrinsics;
    CHECK(k.width == widths[i]);
    CHECK(k.height == heights[i]);
    CHECK(k.fx == doctest::Approx(widths[i]));  // 0.5 w / tan(0.5 camera_angle_x) = w
    CHECK(k.cx == doctest::Approx(0.5f * widths[i]));
    CHECK(k.cy == doctest::Approx(0.5f * heights[i]));
    CHECK(d.frame_images[i].first_pixel == firsts[i]);
    CHECK(d.pixel_count(i) == static_cast<size_t>(widths[i] * heights[i]));
    CHECK(d.frames[i].lossmult == (i % 2 == 0 ? 1.f : 4.f));
    CHECK(d.frame_images[i].lossmult == d.frames[i].lossmult);
    // The frame's last pixel holds its own tag and coordinates.
    const uint8_t* last = d.image(i) + (d.pixel_count(i) - 1) * 4;
    CHECK(last[0] == 10 + i);
    CHECK(last[1] == widths[i] - 1);
    CHECK(last[2] == heights[i] - 1);
  }
  CHECK(d.total_pixels() == 480u);
  CHECK(d.rgba.size() == 480u * 4);
  // Pixel-weighted: (2 * 192 * 1 + 2 * 48 * 4) / 480.
  CHECK(d.mean_lossmult() == doctest::Approx((384.0 + 384.0) / 480.0));

  // Without pixels: the same layout, no bytes.
  const nerds::Dataset headers = nerds::load_dataset(folder.str(), {"train", 1, false});
  CHECK(headers.rgba.empty());
  CHECK(headers.total_pixels() == 480u);
}

TEST_CASE("multiscale data: downscale applies frame by frame, and a frame too small for it is named") {
  nerds_test::TempFolder folder("multiscale_downscale");
  write_two_size_split(folder.path(), "train");
  const nerds::Dataset d = nerds::load_dataset(folder.str(), {"train", 2, true});
  CHECK(d.frames[0].intrinsics.width == 8);
  CHECK(d.frames[1].intrinsics.width == 4);
  CHECK(d.frames[1].intrinsics.height == 3);
  CHECK(d.frames[1].intrinsics.fx == doctest::Approx(4.f));
  CHECK(d.frame_images[2].first_pixel == 8 * 6 + 4 * 3);
  CHECK(d.frames[1].lossmult == 4.f);  // relative areas are unchanged by a common downscale
  // Pixel (1, 2) of the 4x3 image averages source pixels x 2..3, y 4..5 of the 8x6 one.
  const uint8_t* p = d.image(1) + (2 * 4 + 1) * 4;
  CHECK(p[0] == 11);
  CHECK(p[1] == 3);  // round((2 + 3 + 2 + 3) / 4)
  CHECK(p[2] == 5);
  // 8x6 frames cannot be downscaled by 8: the first such frame is named.
  check_mentions(dataset_error(folder.path(), {"train", 8, false}),
                 {"transforms_train.json", "frames[1].file_path", "downscale 8", "8x6"});
}

TEST_CASE("multiscale data: an image that is not its frame's declared size is an InputError naming it") {
  nerds_test::TempFolder folder("multiscale_bad");
  const json root = write_two_size_split(folder.path(), "train");
  const fs::path file = folder.path() / "transforms_train.json";
  SUBCASE("the image is larger than its w and h") {
    nerds::write_png((folder.path() / "train" / "r_1_d2.png").string(), tagged_image(16, 12, 0));
    for (bool pixels : {true, false})
      check_mentions(dataset_error(folder.path(), {"train", 1, pixels}),
                     {file.string(), "frames[3].file_path", "r_1_d2.png is 16x12", "8x6", "frames[3].w"});
  }
  SUBCASE("w without h, and sizes that are not positive integers") {
    json edited = root;
    edited["frames"][2].erase("h");
    write_json(file, edited);
    check_mentions(dataset_error(folder.path()), {file.string(), "frames[2].h", "missing"});
    edited = root;
    edited["frames"][1]["w"] = 7.5;
    write_json(file, edited);
    check_mentions(dataset_error(folder.path()), {file.string(), "frames[1].w", "positive integer"});
  }
  SUBCASE("a lossmult that is not a positive number") {
    json edited = root;
    edited["frames"][3]["lossmult"] = 0;
    write_json(file, edited);
    check_mentions(dataset_error(folder.path()), {file.string(), "frames[3].lossmult", "positive"});
    edited["frames"][3]["lossmult"] = "four";
    write_json(file, edited);
    check_mentions(dataset_error(folder.path()), {file.string(), "frames[3].lossmult"});
  }
}

TEST_CASE("multiscale data: frames without w and h keep the file's image size, with lossmult 1") {
  nerds_test::TempFolder folder("multiscale_plain");
  json root = write_two_size_split(folder.path(), "train");
  for (json& frame : root["frames"]) {
    frame.erase("w");
    frame.erase("h");
    frame.erase("lossmult");
  }
  // The first image (16x12) sets the size; the 8x6 ones no longer match it.
  write_json(folder.path() / "transforms_train.json", root);
  check_mentions(dataset_error(folder.path()), {"frames[1].file_path", "is 8x6", "16x12", "the file's images"});
  root["frames"].erase(3);
  root["frames"].erase(1);
  write_json(folder.path() / "transforms_train.json", root);
  const nerds::Dataset d = nerds::load_dataset(folder.str());
  CHECK(d.one_image_size());
  CHECK(d.frames[1].lossmult == 1.f);
  CHECK(d.mean_lossmult() == 1.0);
}

TEST_CASE("multiscale data: instant-ngp transforms.json frames may give their own w, h and lossmult") {
  nerds_test::TempFolder folder("multiscale_ngp");
  fs::create_directories(folder.path() / "images");
  json root = {{"fl_x", 10.0}, {"w", 10}, {"h", 8}, {"frames", json::array()}};
  for (int i = 0; i < 9; ++i) {  // frame 0 and 8 are test views; 1..7 train
    const bool half = i % 2 == 1;
    const std::string name = "images/f_" + std::to_string(i) + ".png";
    nerds::write_png((folder.path() / name).string(), tagged_image(half ? 5 : 10, half ? 4 : 8, i));
    json frame = {{"file_path", name}, {"transform_matrix", pose_at(2.0 + i)}};
    if (half) frame.update({{"w", 5}, {"h", 4}, {"fl_x", 5.0}, {"lossmult", 4}});
    root["frames"].push_back(frame);
  }
  write_json(folder.path() / "transforms.json", root);
  const nerds::Dataset d = nerds::load_dataset(folder.str());
  REQUIRE(d.frames.size() == 7);
  CHECK(d.frames[0].intrinsics.width == 5);  // frame 1 of the file
  CHECK(d.frames[0].intrinsics.fx == doctest::Approx(5.f));
  CHECK(d.frames[0].lossmult == 4.f);
  CHECK(d.frames[1].intrinsics.width == 10);
  CHECK(d.frames[1].lossmult == 1.f);
  CHECK(d.total_pixels() == 4u * 20 + 3u * 80);
  CHECK(d.image(1)[0] == 2);  // file frame 2's tag
}
