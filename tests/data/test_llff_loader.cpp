// The LLFF loader (renderer/data/llff_loader.cpp, npy_file.cpp) through load_dataset: a
// small forward-facing capture written here (poses_bounds.npy + images/ + images_2/), every
// kind of bad input, and the real fern capture when ../shared/datasets/fern is present.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"
#include "renderer/error.h"
#include "renderer/math/camera.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/input_errors.h"

namespace fs = std::filesystem;
using nerds::DatasetOptions;
using nerds::Vec3;
using nerds_test::check_mentions;

namespace {

constexpr int kCount = 9;                // rows / images: 0 and 8 are held out
constexpr int kFullW = 16, kFullH = 12;  // poses_bounds.npy's full-resolution size
constexpr double kFocal = 20.0;

// A .npy file from its header dict text and raw payload (format version `major`).
std::string npy_bytes(const std::string& dict, const std::string& payload, int major = 1) {
  std::string header = dict;
  const size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  const size_t n = header.size();
  out += static_cast<char>(n & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  if (major > 1) {
    out += static_cast<char>((n >> 16) & 0xff);
    out += static_cast<char>((n >> 24) & 0xff);
  }
  return out + header + payload;
}

std::string doubles(const std::vector<double>& values) {
  std::string s(values.size() * sizeof(double), '\0');
  std::memcpy(s.data(), values.data(), s.size());
  return s;
}

std::string f8_dict(size_t rows, size_t cols) {
  return "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " + std::to_string(cols) +
         "), }";
}

void write_file(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// kCount cameras on a 3x3 grid in the plane z = 0 looking down world -z (OpenGL: right = +x,
// up = +y, back = +z), written in LLFF's [down, right, back] columns; near 2..2.8, far 10.
std::vector<double> capture_rows() {
  std::vector<double> rows;
  for (int i = 0; i < kCount; ++i) {
    const double down[3] = {0, -1, 0}, right[3] = {1, 0, 0}, back[3] = {0, 0, 1};
    const double t[3] = {0.5 * (i % 3) - 0.5, 0.5 * (i / 3) - 0.5, 0.1 * i};
    const double hwf[3] = {kFullH, kFullW, kFocal};
    for (int r = 0; r < 3; ++r) {
      rows.insert(rows.end(), {down[r], right[r], back[r], t[r], hwf[r]});
    }
    rows.push_back(2.0 + 0.1 * i);
    rows.push_back(10.0);
  }
  return rows;
}

nerds::Image8 solid_image(int w, int h, int seed) {
  nerds::Image8 image;
  image.width = w;
  image.height = h;
  image.channels = 3;
  image.pixels.resize(static_cast<size_t>(w) * h * 3);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>((i * 7 + seed * 31) % 256);
  return image;
}

void write_images(const fs::path& folder, int w, int h, int count = kCount) {
  fs::create_directories(folder);
  for (int i = 0; i < count; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "IMG_%03d.png", i);
    nerds::write_png((folder / name).string(), solid_image(w, h, i));
  }
}

// poses_bounds.npy, images/ (16x12) and images_2/ (8x6).
void write_capture(const fs::path& dir) {
  write_file(dir / "poses_bounds.npy", npy_bytes(f8_dict(kCount, 17), doubles(capture_rows())));
  write_images(dir / "images", kFullW, kFullH);
  write_images(dir / "images_2", kFullW / 2, kFullH / 2);
}

// The world point of pixel (px, py) of frame i at camera depth `depth` (engine frame).
Vec3 pixel_point(const nerds::Dataset& d, size_t i, float px, float py, float depth_engine) {
  const nerds::Frame& f = d.frames[i];
  const Vec3 dir = nerds::pixel_to_camera_dir(f.intrinsics, px, py);  // z = -1
  return f.pose.apply(dir * depth_engine);
}

bool inside_unit_cube(Vec3 p) {
  return p.x >= 0.f && p.x <= 1.f && p.y >= 0.f && p.y <= 1.f && p.z >= 0.f && p.z <= 1.f;
}

// Every image corner at the near and far bounds (in the engine frame: world * scale) lies in
// the engine's box [0, 1]^3 (aabb_scale 1).
void check_frusta_in_box(const nerds::Dataset& d) {
  REQUIRE(d.aabb_scale == 1.f);
  const float w = static_cast<float>(d.width), h = static_cast<float>(d.height);
  for (size_t i = 0; i < d.frames.size(); ++i)
    for (float depth : {d.near_bound, d.far_bound})
      for (float px : {0.f, w})
        for (float py : {0.f, h}) {
          const Vec3 p = pixel_point(d, i, px, py, depth * d.scale);
          INFO("frame " << i << " corner (" << px << ", " << py << ") depth " << depth << ": " << p.x << " " << p.y
                        << " " << p.z);
          CHECK(inside_unit_cube(p));
        }
}

std::string error_of(const std::string& dir, const DatasetOptions& options = {"train", 1, false}) {
  return nerds_test::dataset_error(dir, options);
}

}  // namespace

TEST_CASE("llff: a small capture loads in NeRF's normalized frame, inside the engine's box") {
  nerds_test::TempFolder tmp("llff_ok");
  write_capture(tmp.path());

  const nerds::Dataset all = nerds::load_dataset(tmp.str(), {"all", 1, true});
  CHECK(all.format == "llff");
  REQUIRE(all.frames.size() == kCount);
  CHECK(all.width == kFullW);
  CHECK(all.height == kFullH);
  CHECK_FALSE(all.has_alpha);
  CHECK(all.frames[0].intrinsics.fx == doctest::Approx(kFocal));
  CHECK(all.frames[0].intrinsics.cx == doctest::Approx(kFullW / 2.0));
  CHECK(all.frames[3].image_path.find("IMG_003.png") != std::string::npos);
  // Pixels: frame 3 is IMG_003.png (sorted names), alpha 255.
  const nerds::Image8 img3 = solid_image(kFullW, kFullH, 3);
  CHECK(all.image(3)[0] == img3.pixels[0]);
  CHECK(all.image(3)[4 * 5 + 1] == img3.pixels[3 * 5 + 1]);
  CHECK(all.image(3)[3] == 255);

  // NeRF's scale: the nearest bound becomes 1 / 0.75; far scales alike (10 / (2 * 0.75)).
  CHECK(all.near_bound == doctest::Approx(1.0 / 0.75));
  CHECK(all.far_bound == doctest::Approx(10.0 / 1.5));
  // Recentered: in the world frame the mean camera is at the origin, looking down -z.
  Vec3 mean = nerds::make_vec3(0, 0, 0);
  for (const nerds::Frame& f : all.frames) mean = mean + (f.pose.origin() - all.offset) / all.scale;
  mean = mean / static_cast<float>(kCount);
  CHECK(nerds::length(mean) < 1e-4f);
  for (const nerds::Frame& f : all.frames) {
    CHECK(f.pose.m[2][2] == doctest::Approx(1.f));  // back axis = +z: looking down -z
    CHECK(f.pose.m[1][1] == doctest::Approx(1.f));  // up = +y (LLFF's "down" was -y)
  }
  check_frusta_in_box(all);

  // Every 8th image held out: test = 0 and 8.
  const nerds::Dataset test = nerds::load_dataset(tmp.str(), {"test", 1, false});
  REQUIRE(test.frames.size() == 2);
  CHECK(test.frames[1].image_path.find("IMG_008.png") != std::string::npos);
  CHECK(nerds::load_dataset(tmp.str(), {"val", 1, false}).frames.size() == 2);
  const nerds::Dataset train = nerds::load_dataset(tmp.str(), {"train", 1, false});
  REQUIRE(train.frames.size() == 7);
  // The same normalization whatever the split: frame 1 of "all" is frame 0 of "train".
  CHECK(train.frames[0].pose.m[0][3] == all.frames[1].pose.m[0][3]);
  CHECK(train.scale == all.scale);
}

TEST_CASE("llff: downscale reads the pre-downscaled images_N folder when there is one") {
  nerds_test::TempFolder tmp("llff_down");
  write_capture(tmp.path());
  const nerds::Dataset half = nerds::load_dataset(tmp.str(), {"all", 2, true});
  CHECK(half.width == kFullW / 2);
  CHECK(half.height == kFullH / 2);
  CHECK(half.frames[0].intrinsics.fx == doctest::Approx(kFocal / 2));
  CHECK(half.frames[0].intrinsics.cy == doctest::Approx(kFullH / 4.0));
  CHECK(half.frames[2].image_path.find("images_2") != std::string::npos);
  CHECK(half.image(2)[0] == solid_image(kFullW / 2, kFullH / 2, 2).pixels[0]);  // the file's pixels, not a box filter

  // No images_4: the full-resolution images/ are box-downscaled by 4.
  const nerds::Dataset quarter = nerds::load_dataset(tmp.str(), {"all", 4, false});
  CHECK(quarter.width == kFullW / 4);
  CHECK(quarter.frames[0].intrinsics.fx == doctest::Approx(kFocal / 4));
  CHECK(quarter.frames[0].image_path.find("images" + std::string(1, fs::path::preferred_separator)) !=
        std::string::npos);

  // Without images/: images_2 downscaled by 2 more.
  fs::remove_all(tmp.path() / "images");
  const nerds::Dataset from_half = nerds::load_dataset(tmp.str(), {"all", 4, true});
  CHECK(from_half.width == kFullW / 4);
  CHECK(from_half.frames[0].intrinsics.fx == doctest::Approx(kFocal / 4));
  CHECK(from_half.frames[0].image_path.find("images_2") != std::string::npos);
  // ... and downscale 1 says which folders exist.
  check_mentions(error_of(tmp.str()), {"images", "found images_2"});
}

TEST_CASE("llff: bad poses_bounds.npy files are InputErrors naming the file and field") {
  nerds_test::TempFolder tmp("llff_bad");
  write_capture(tmp.path());
  const fs::path npy = tmp.path() / "poses_bounds.npy";
  const std::vector<double> good = capture_rows();
  const std::string good_bytes = npy_bytes(f8_dict(kCount, 17), doubles(good));

  SUBCASE("format version 2 and a Fortran-ordered copy load the same") {
    write_file(npy, npy_bytes(f8_dict(kCount, 17), doubles(good), 2));
    const float x = nerds::load_dataset(tmp.str(), {"all", 1, false}).frames[4].pose.m[0][3];
    std::vector<double> transposed(good.size());
    for (int r = 0; r < kCount; ++r)
      for (int c = 0; c < 17; ++c) transposed[c * kCount + r] = good[r * 17 + c];
    write_file(npy, npy_bytes("{'descr': '<f8', 'fortran_order': True, 'shape': (9, 17), }", doubles(transposed)));
    CHECK(nerds::load_dataset(tmp.str(), {"all", 1, false}).frames[4].pose.m[0][3] == x);
  }
  SUBCASE("missing: no format is recognized") {
    fs::remove(npy);
    check_mentions(error_of(tmp.str()), {tmp.str(), "poses_bounds.npy (LLFF)"});
  }
  SUBCASE("not an npy file") {
    write_file(npy, "hello, this is not numpy");
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "magic"});
  }
  SUBCASE("truncated header") {
    write_file(npy, good_bytes.substr(0, 40));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "header"});
  }
  SUBCASE("float32 instead of float64") {
    write_file(npy, npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (9, 17), }",
                              std::string(kCount * 17 * 4, '\0')));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "descr", "<f4"});
  }
  SUBCASE("header without a shape") {
    write_file(npy, npy_bytes("{'descr': '<f8', 'fortran_order': False, }", doubles(good)));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "shape"});
  }
  SUBCASE("wrong shape: 16 columns, or one dimension") {
    write_file(npy, npy_bytes(f8_dict(kCount, 16), doubles(std::vector<double>(kCount * 16, 1.0))));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "shape", "(9, 16)"});
    write_file(npy, npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (153,), }", doubles(good)));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "shape", "(153)"});
  }
  SUBCASE("data shorter than the shape") {
    write_file(npy, good_bytes.substr(0, good_bytes.size() - 8));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "data"});
  }
  SUBCASE("NaN in a bound and in a pose") {
    std::vector<double> bad = good;
    bad[3 * 17 + 15] = std::numeric_limits<double>::quiet_NaN();
    write_file(npy, npy_bytes(f8_dict(kCount, 17), doubles(bad)));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "rows[3].near", "finite"});
    bad = good;
    bad[5 * 17 + 1 * 5 + 3] = std::numeric_limits<double>::infinity();
    write_file(npy, npy_bytes(f8_dict(kCount, 17), doubles(bad)));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "rows[5].pose[1][3]", "finite"});
  }
  SUBCASE("non-rigid rotation, far before near, fractional image size") {
    std::vector<double> bad = good;
    bad[2 * 17 + 0] = 0.5;  // the down axis is no longer a unit vector
    write_file(npy, npy_bytes(f8_dict(kCount, 17), doubles(bad)));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "rows[2].pose", "orthonormal"});
    bad = good;
    bad[4 * 17 + 16] = 1.0;
    write_file(npy, npy_bytes(f8_dict(kCount, 17), doubles(bad)));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "rows[4].far"});
    bad = good;
    bad[0 * 17 + 4] = 12.5;
    write_file(npy, npy_bytes(f8_dict(kCount, 17), doubles(bad)));
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "rows[0].hwf.height"});
  }
  SUBCASE("one image: the train split is empty") {
    write_file(npy, npy_bytes(f8_dict(1, 17), doubles(std::vector<double>(good.begin(), good.begin() + 17))));
    fs::remove_all(tmp.path() / "images");
    write_images(tmp.path() / "images", kFullW, kFullH, 1);
    check_mentions(error_of(tmp.str()), {"poses_bounds.npy", "'train' is empty"});
    CHECK(nerds::load_dataset(tmp.str(), {"test", 1, false}).frames.size() == 1);
  }
}

TEST_CASE("llff: missing, extra and mis-sized images are InputErrors naming the file") {
  nerds_test::TempFolder tmp("llff_images");
  write_capture(tmp.path());
  const fs::path images = tmp.path() / "images";

  SUBCASE("no image folder") {
    fs::remove_all(images);
    fs::remove_all(tmp.path() / "images_2");
    check_mentions(error_of(tmp.str()), {tmp.str(), "images", "no image folder"});
  }
  SUBCASE("an image missing: count mismatch") {
    fs::remove(images / "IMG_004.png");
    check_mentions(error_of(tmp.str()), {images.string(), "holds 8 images", "9 rows"});
  }
  SUBCASE("an extra image") {
    nerds::write_png((images / "IMG_100.png").string(), solid_image(kFullW, kFullH, 0));
    check_mentions(error_of(tmp.str()), {images.string(), "holds 10 images"});
  }
  SUBCASE("images of another size than poses_bounds.npy says") {
    fs::remove_all(images);
    write_images(images, 10, 10);
    check_mentions(error_of(tmp.str()), {"IMG_000.png", "10x10", "16x12"});
  }
  SUBCASE("one image of another size") {
    nerds::write_png((images / "IMG_005.png").string(), solid_image(kFullW, kFullH + 2, 5));
    check_mentions(error_of(tmp.str(), {"all", 1, false}), {"poses_bounds.npy", "frames[5]", "IMG_005.png", "16x14"});
  }
  SUBCASE("an unreadable image") {
    write_file(images / "IMG_006.png", "not a png");
    check_mentions(error_of(tmp.str(), {"all", 1, true}), {"poses_bounds.npy", "frames[6]", "IMG_006.png"});
  }
}

// The real capture beside the project (see ../shared/datasets/README.md: 20 images, only
// images_8/ at 504x378, full size 4032x3024, focal 3260.5 px).
TEST_CASE("llff: the fern reference capture") {
  const fs::path fern = fs::path(NERDS_SHARED_DATASETS) / "fern";
  if (!fs::is_regular_file(fern / "poses_bounds.npy")) {
    MESSAGE("skipping: no fern under " << NERDS_SHARED_DATASETS);
    return;
  }
  const nerds::Dataset all = nerds::load_dataset(fern.string(), {"all", 8, true});
  CHECK(all.format == "llff");
  REQUIRE(all.frames.size() == 20);
  CHECK(all.width == 504);
  CHECK(all.height == 378);
  CHECK(all.rgba.size() == 20u * 504 * 378 * 4);
  CHECK(all.frames[0].intrinsics.fx == doctest::Approx(3260.5263 / 8).epsilon(1e-5));
  CHECK(all.near_bound == doctest::Approx(1.0 / 0.75));
  CHECK(all.far_bound > all.near_bound);
  check_frusta_in_box(all);
  MESSAGE("fern: near " << all.near_bound << " far " << all.far_bound << " scale " << all.scale << " offset ("
                        << all.offset.x << ", " << all.offset.y << ", " << all.offset.z << ")");

  CHECK(nerds::load_dataset(fern.string(), {"train", 8, false}).frames.size() == 17);
  CHECK(nerds::load_dataset(fern.string(), {"test", 8, false}).frames.size() == 3);  // 0, 8, 16
  const nerds::Dataset sixteenth = nerds::load_dataset(fern.string(), {"test", 16, true});
  CHECK(sixteenth.width == 252);
  CHECK(sixteenth.height == 189);
  CHECK(sixteenth.frames[0].intrinsics.fx == doctest::Approx(3260.5263 / 16).epsilon(1e-5));
  // Only images_8 exists: full resolution is refused with the folder that is there.
  check_mentions(error_of(fern.string()), {"images_8"});
}

TEST_CASE("llff: a scene box the engine cannot hold (absurd focal or bounds) is refused by name") {
  nerds_test::TempFolder tmp("llff_box");
  write_capture(tmp.path());
  const fs::path npy = tmp.path() / "poses_bounds.npy";
  // Column 14 is hwf.focal of row 0's third line; 15, 16 near and far.
  const auto error_with = [&](size_t column, double value) {
    std::vector<double> rows = capture_rows();
    for (int r = 0; r < kCount; ++r) rows[r * 17 + column] = value;
    write_file(npy, npy_bytes(f8_dict(kCount, 17), doubles(rows)));
    return error_of(tmp.str());
  };
  // A focal length no lens has is named at once, by its field of view (camera_checks.h).
  check_mentions(error_with(14, 1e-300), {"poses_bounds.npy", "rows[0].hwf.focal", "field of view", "180"});
  check_mentions(error_with(16, 1e300), {"poses_bounds.npy", "rows", "scene box"});
  check_mentions(error_with(9, 1e9), {"poses_bounds.npy", "rows[0].hwf.width", "16384"});
}

TEST_CASE("llff: a rig whose up or viewing axes cancel has no mean frame, and is refused by name") {
  nerds_test::TempFolder tmp("llff_mean_frame");
  write_capture(tmp.path());
  const fs::path npy = tmp.path() / "poses_bounds.npy";
  // Row r's camera turned by (r % 3) * `step` degrees about its viewing axis (roll: the up
  // axes of three turns 120 degrees apart sum to zero) or about its up axis (yaw: the viewing
  // axes do).
  const auto error_with = [&](bool roll, double step) {
    std::vector<double> rows = capture_rows();
    for (int r = 0; r < kCount; ++r) {
      const double a = (r % 3) * step * M_PI / 180.0, c = std::cos(a), s = std::sin(a);
      // OpenGL axes in world space, then LLFF's columns [down, right, back] = [-up, right, back].
      const double right[3] = {c, roll ? s : 0.0, roll ? 0.0 : -s};
      const double up[3] = {roll ? -s : 0.0, roll ? c : 1.0, 0.0};
      const double back[3] = {roll ? 0.0 : s, 0.0, roll ? 1.0 : c};
      for (int line = 0; line < 3; ++line) {
        double* m = &rows[r * 17 + line * 5];
        m[0] = -up[line];
        m[1] = right[line];
        m[2] = back[line];
      }
    }
    write_file(npy, npy_bytes(f8_dict(kCount, 17), doubles(rows)));
    return error_of(tmp.str());
  };
  check_mentions(error_with(true, 120.0), {"poses_bounds.npy", "rows", "up axes cancel", "mean frame"});
  check_mentions(error_with(false, 120.0), {"poses_bounds.npy", "rows", "back (viewing) axes cancel", "mean frame"});
  // A rig that merely spreads (30 degree turns) keeps a mean frame and loads.
  CHECK(error_with(true, 30.0) == "(no InputError thrown)");
}
