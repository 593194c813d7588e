// The COLMAP loader (renderer/data/colmap_model.cpp, colmap_loader.cpp) through load_dataset:
// small sparse models written here in COLMAP 3.8's text and binary forms, each camera model
// the engine represents, bad input (a truncated binary file, a listed image that is missing,
// an unknown camera model, a point with NaN); and transforms.json's nerfstudio split keys.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "renderer/data/colmap_model.h"
#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"
#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/input_errors.h"

namespace fs = std::filesystem;
using nerds::DatasetOptions;
using nerds_test::check_mentions;
using nerds_test::dataset_error;

namespace {

constexpr int kViews = 9;  // images 0 and 8 (by name) are held out
constexpr int kWidth = 8, kHeight = 6;
constexpr double kRadius = 4.0;

struct TestCamera {
  std::string model;
  std::vector<double> params;
};

struct TestModel {
  TestCamera camera{"PINHOLE", {10, 10.5, 4, 3}};
  std::vector<std::array<double, 3>> points;
  std::vector<std::array<double, 4>> qvecs;
  std::vector<std::array<double, 3>> tvecs;
};

// A rotation matrix (row-major) to a unit quaternion w x y z (Shepperd's method).
std::array<double, 4> quaternion(const double r[3][3]) {
  const double trace = r[0][0] + r[1][1] + r[2][2];
  std::array<double, 4> q{};
  if (trace > 0) {
    const double s = 2 * std::sqrt(1 + trace);
    q = {0.25 * s, (r[2][1] - r[1][2]) / s, (r[0][2] - r[2][0]) / s, (r[1][0] - r[0][1]) / s};
  } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
    const double s = 2 * std::sqrt(1 + r[0][0] - r[1][1] - r[2][2]);
    q = {(r[2][1] - r[1][2]) / s, 0.25 * s, (r[0][1] + r[1][0]) / s, (r[0][2] + r[2][0]) / s};
  } else if (r[1][1] > r[2][2]) {
    const double s = 2 * std::sqrt(1 + r[1][1] - r[0][0] - r[2][2]);
    q = {(r[0][2] - r[2][0]) / s, (r[0][1] + r[1][0]) / s, 0.25 * s, (r[1][2] + r[2][1]) / s};
  } else {
    const double s = 2 * std::sqrt(1 + r[2][2] - r[0][0] - r[1][1]);
    q = {(r[1][0] - r[0][1]) / s, (r[0][2] + r[2][0]) / s, (r[1][2] + r[2][1]) / s, 0.25 * s};
  }
  return q;
}

// kViews cameras on a ring of kRadius around the origin, 1 above it, looking at the origin,
// in a COLMAP world whose "up" is -y (as COLMAP's often is: its cameras' y points down);
// 50 points in [-1, 1]^3 and one stray point far away.
TestModel ring_model() {
  TestModel m;
  for (int i = 0; i < kViews; ++i) {
    const double a = 2 * M_PI * i / kViews;
    // In a z-up world: centre and OpenGL axes of a camera looking at the origin.
    const double c[3] = {kRadius * std::cos(a), kRadius * std::sin(a), 1.0};
    const double n = std::sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
    const double back[3] = {c[0] / n, c[1] / n, c[2] / n};
    double right[3] = {-back[1], back[0], 0};  // up x back, up = +z
    const double rn = std::sqrt(right[0] * right[0] + right[1] * right[1]);
    for (double& v : right) v /= rn;
    const double up[3] = {back[1] * right[2] - back[2] * right[1], back[2] * right[0] - back[0] * right[2],
                          back[0] * right[1] - back[1] * right[0]};
    // World z-up -> COLMAP world (x, y, z) = (x, -z, y): up becomes -y.
    const auto to_colmap = [](const double v[3], double out[3]) {
      out[0] = v[0], out[1] = -v[2], out[2] = v[1];
    };
    double cc[3], x[3], y_down[3], z_fwd[3];
    to_colmap(c, cc);
    to_colmap(right, x);
    to_colmap(up, y_down);
    to_colmap(back, z_fwd);
    for (int k = 0; k < 3; ++k) y_down[k] = -y_down[k], z_fwd[k] = -z_fwd[k];
    double r[3][3];  // world-to-camera: rows are the camera's axes (x right, y down, z forward)
    for (int k = 0; k < 3; ++k) r[0][k] = x[k], r[1][k] = y_down[k], r[2][k] = z_fwd[k];
    m.qvecs.push_back(quaternion(r));
    std::array<double, 3> t{};
    for (int row = 0; row < 3; ++row) t[row] = -(r[row][0] * cc[0] + r[row][1] * cc[1] + r[row][2] * cc[2]);
    m.tvecs.push_back(t);
  }
  for (int i = 0; i < 50; ++i)
    m.points.push_back({std::sin(1.7 * i), std::cos(2.3 * i), std::sin(0.9 * i + 1)});
  m.points.push_back({1000, -1000, 1000});
  return m;
}

std::string image_name(int i) { return "frame_" + std::to_string(100 + i) + ".png"; }

void write_images(const fs::path& dir) {
  fs::create_directories(dir / "images");
  nerds::Image8 image{kWidth, kHeight, 3, std::vector<uint8_t>(kWidth * kHeight * 3, 128)};
  for (int i = 0; i < kViews; ++i) nerds::write_png((dir / "images" / image_name(i)).string(), image);
}

void write_text(const fs::path& dir, const TestModel& m) {
  const fs::path sparse = dir / "sparse" / "0";
  fs::create_directories(sparse);
  std::ofstream cameras(sparse / "cameras.txt");
  cameras << "# Camera list with one line of data per camera:\n1 " << m.camera.model << " " << kWidth << " " << kHeight;
  for (double p : m.camera.params) cameras << " " << p;
  cameras << "\n";
  std::ofstream images(sparse / "images.txt");
  images.precision(17);
  images << "# Image list with two lines of data per image:\n";
  for (int i = 0; i < kViews; ++i) {
    images << (i + 1);
    for (double q : m.qvecs[i]) images << " " << q;
    for (double t : m.tvecs[i]) images << " " << t;
    images << " 1 " << image_name(i) << "\n";
    images << (i % 2 ? "1.5 2.5 -1\n" : "\n");  // POINTS2D: one with a point, one empty
  }
  std::ofstream points(sparse / "points3D.txt");
  points.precision(17);
  for (size_t i = 0; i < m.points.size(); ++i)
    points << (i + 1) << " " << m.points[i][0] << " " << m.points[i][1] << " " << m.points[i][2]
           << " 10 20 30 0.5 1 0 2 0\n";
}

template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

int model_id(const std::string& name) {
  const char* names[] = {"SIMPLE_PINHOLE", "PINHOLE", "SIMPLE_RADIAL", "RADIAL", "OPENCV"};
  for (int i = 0; i < 5; ++i)
    if (name == names[i]) return i;
  return 42;
}

void write_binary(const fs::path& dir, const TestModel& m) {
  const fs::path sparse = dir / "sparse" / "0";
  fs::create_directories(sparse);
  std::string cameras;
  put<uint64_t>(cameras, 1);
  put<uint32_t>(cameras, 1);
  put<int32_t>(cameras, model_id(m.camera.model));
  put<uint64_t>(cameras, kWidth);
  put<uint64_t>(cameras, kHeight);
  for (double p : m.camera.params) put(cameras, p);
  std::ofstream(sparse / "cameras.bin", std::ios::binary) << cameras;
  std::string images;
  put<uint64_t>(images, kViews);
  for (int i = 0; i < kViews; ++i) {
    put<uint32_t>(images, i + 1);
    for (double q : m.qvecs[i]) put(images, q);
    for (double t : m.tvecs[i]) put(images, t);
    put<uint32_t>(images, 1);
    images += image_name(i);
    images += '\0';
    put<uint64_t>(images, 1);
    put(images, 1.5);
    put(images, 2.5);
    put<int64_t>(images, -1);
  }
  std::ofstream(sparse / "images.bin", std::ios::binary) << images;
  std::string points;
  put<uint64_t>(points, m.points.size());
  for (size_t i = 0; i < m.points.size(); ++i) {
    put<uint64_t>(points, i + 1);
    for (double x : m.points[i]) put(points, x);
    points += std::string("\x0a\x14\x1e", 3);
    put(points, 0.5);
    put<uint64_t>(points, 2);
    for (uint32_t v : {1u, 0u, 2u, 0u}) put(points, v);
  }
  std::ofstream(sparse / "points3D.bin", std::ios::binary) << points;
}

// Every loaded camera sits kRadius (times the scale) from the box centre, which projects to
// its principal point: the conversion to camera-to-world OpenGL poses is right.
void check_ring(const nerds::Dataset& d) {
  REQUIRE(d.format == "colmap");
  double up_z = 0;
  for (const nerds::Frame& f : d.frames) {
    const nerds::Vec3 origin_engine = d.offset;  // world (0,0,0) -> offset
    CHECK(nerds::length(f.pose.origin() - origin_engine) ==
          doctest::Approx(std::sqrt(kRadius * kRadius + 1) * d.scale).epsilon(1e-4));
    float px = 0, py = 0;
    REQUIRE(nerds::camera_to_pixel(f.intrinsics, f.pose.to_camera(origin_engine), &px, &py));
    CHECK(px == doctest::Approx(f.intrinsics.cx).epsilon(1e-3));
    CHECK(py == doctest::Approx(f.intrinsics.cy).epsilon(1e-3));
    up_z += f.pose.m[2][1];
  }
  // The world is turned so that the cameras' mean up is +z (they all tilt down the same way).
  CHECK(up_z / d.frames.size() > 0.9);
  // The stray point does not blow up the box: the 50 points span about 2 units.
  CHECK(d.scale > 1.f / (2.2f * 1.2f));
  CHECK(d.scale < 1.f / (2.2f * 0.8f));
  CHECK(d.aabb_scale == 4.f);  // the ring (radius 4, i.e. ~1.8 box units out) needs a box of side 4
}

std::string model_error(const fs::path& dir) { return dataset_error(dir.string(), DatasetOptions{"all", 1, false}); }

}  // namespace

TEST_CASE("colmap loader: a text model and the same model in binary give the same cameras") {
  nerds_test::TempFolder text("colmap_text"), binary("colmap_binary");
  const TestModel m = ring_model();
  write_images(text.path());
  write_text(text.path(), m);
  write_images(binary.path());
  write_binary(binary.path(), m);
  const nerds::Dataset a = nerds::load_dataset(text.str(), DatasetOptions{"all", 1, true});
  const nerds::Dataset b = nerds::load_dataset(binary.str(), DatasetOptions{"all", 1, true});
  REQUIRE(a.frames.size() == kViews);
  REQUIRE(b.frames.size() == kViews);
  check_ring(a);
  check_ring(b);
  for (int i = 0; i < kViews; ++i)
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) CHECK(a.frames[i].pose.m[r][c] == doctest::Approx(b.frames[i].pose.m[r][c]));
  CHECK(fs::path(a.frames[3].image_path).filename() == image_name(3));

  // Every 8th image by name is held out.
  const nerds::Dataset train = nerds::load_dataset(text.str(), DatasetOptions{"train", 1, false});
  const nerds::Dataset test = nerds::load_dataset(text.str(), DatasetOptions{"test", 1, false});
  CHECK(train.frames.size() == kViews - 2);
  REQUIRE(test.frames.size() == 2);
  CHECK(fs::path(test.frames[1].image_path).filename() == image_name(8));

  const nerds::ColmapModel model = nerds::read_colmap_model((text.path() / "sparse" / "0").string());
  CHECK(model.points.size() == 51);
  CHECK(model.mean_reprojection_error() == doctest::Approx(0.5));
}

TEST_CASE("colmap loader: each camera model's intrinsics and distortion") {
  struct Case {
    TestCamera camera;
    float fx, fy, cx, cy, k1, k2, p1, p2;
  };
  const Case cases[] = {
      {{"SIMPLE_PINHOLE", {10, 4.2, 3.1}}, 10, 10, 4.2f, 3.1f, 0, 0, 0, 0},
      {{"PINHOLE", {10, 11, 4.2, 3.1}}, 10, 11, 4.2f, 3.1f, 0, 0, 0, 0},
      {{"SIMPLE_RADIAL", {10, 4.2, 3.1, 0.05}}, 10, 10, 4.2f, 3.1f, 0.05f, 0, 0, 0},
      {{"RADIAL", {10, 4.2, 3.1, 0.05, -0.01}}, 10, 10, 4.2f, 3.1f, 0.05f, -0.01f, 0, 0},
      {{"OPENCV", {10, 11, 4.2, 3.1, 0.05, -0.01, 0.001, -0.002}}, 10, 11, 4.2f, 3.1f, 0.05f, -0.01f, 0.001f, -0.002f},
  };
  for (const Case& c : cases)
    for (const bool binary : {false, true}) {
      INFO(c.camera.model << (binary ? " binary" : " text"));
      nerds_test::TempFolder tmp("colmap_model");
      TestModel m = ring_model();
      m.camera = c.camera;
      write_images(tmp.path());
      binary ? write_binary(tmp.path(), m) : write_text(tmp.path(), m);
      const nerds::Dataset d = nerds::load_dataset(tmp.str(), DatasetOptions{"all", 1, false});
      const nerds::Intrinsics& k = d.frames[0].intrinsics;
      CHECK(k.width == kWidth);
      CHECK(k.height == kHeight);
      CHECK(k.fx == doctest::Approx(c.fx));
      CHECK(k.fy == doctest::Approx(c.fy));
      CHECK(k.cx == doctest::Approx(c.cx));
      CHECK(k.cy == doctest::Approx(c.cy));
      CHECK(k.k1 == doctest::Approx(c.k1));
      CHECK(k.k2 == doctest::Approx(c.k2));
      CHECK(k.p1 == doctest::Approx(c.p1));
      CHECK(k.p2 == doctest::Approx(c.p2));
    }
}

TEST_CASE("colmap loader: bad input names the file and the field") {
  SUBCASE("a truncated binary file") {
    nerds_test::TempFolder tmp("colmap_truncated");
    write_images(tmp.path());
    write_binary(tmp.path(), ring_model());
    const fs::path images = tmp.path() / "sparse" / "0" / "images.bin";
    fs::resize_file(images, fs::file_size(images) - 30);
    check_mentions(model_error(tmp.path()), {"images.bin", "images[8] (image 9)", "truncated"});
    fs::resize_file(images, 4);
    check_mentions(model_error(tmp.path()), {"images.bin", "num_reg_images", "truncated"});
  }
  SUBCASE("an image listed but missing") {
    nerds_test::TempFolder tmp("colmap_missing_image");
    write_images(tmp.path());
    write_text(tmp.path(), ring_model());
    fs::remove(tmp.path() / "images" / image_name(4));
    check_mentions(model_error(tmp.path()),
                   {"images.txt", "image 5 (" + image_name(4) + ")", "image not found", image_name(4)});
  }
  SUBCASE("an unknown camera model") {
    nerds_test::TempFolder tmp("colmap_unknown_model");
    write_images(tmp.path());
    TestModel m = ring_model();
    m.camera.model = "PANORAMIC";
    write_text(tmp.path(), m);
    check_mentions(model_error(tmp.path()), {"cameras.txt", "line 2 (camera 1) MODEL", "unknown camera model 'PANORAMIC'"});
    fs::remove_all(tmp.path() / "sparse");
    write_binary(tmp.path(), m);
    check_mentions(model_error(tmp.path()), {"cameras.bin", "cameras[0] (camera 1).model_id", "unknown camera model id 42"});
    m.camera = {"OPENCV_FISHEYE", {10, 10, 4, 3, 0, 0, 0, 0}};
    fs::remove_all(tmp.path() / "sparse");
    write_text(tmp.path(), m);
    check_mentions(model_error(tmp.path()), {"cameras.txt", "MODEL", "OPENCV_FISHEYE is not supported"});
  }
  SUBCASE("a point cloud with NaN") {
    nerds_test::TempFolder tmp("colmap_nan_point");
    write_images(tmp.path());
    TestModel m = ring_model();
    m.points[7][1] = std::nan("");
    write_text(tmp.path(), m);
    check_mentions(model_error(tmp.path()), {"points3D.txt", "line 8 (point 8) X Y Z", "not a finite number"});
    fs::remove_all(tmp.path() / "sparse");
    write_binary(tmp.path(), m);
    check_mentions(model_error(tmp.path()), {"points3D.bin", "points[7] (point 8).xyz", "not a finite number"});
  }
  SUBCASE("a wrong parameter count, a camera that is not there, a quaternion that is not a rotation") {
    nerds_test::TempFolder tmp("colmap_bad_values");
    write_images(tmp.path());
    TestModel m = ring_model();
    m.camera.params.pop_back();
    write_text(tmp.path(), m);
    check_mentions(model_error(tmp.path()), {"cameras.txt", "PARAMS", "PINHOLE takes 4 parameters, got 3"});
    m = ring_model();
    m.qvecs[2] = {2, 0, 0, 0};
    fs::remove_all(tmp.path() / "sparse");
    write_text(tmp.path(), m);
    check_mentions(model_error(tmp.path()), {"images.txt", "(image 3) QW QX QY QZ", "length 2"});
    fs::remove_all(tmp.path() / "sparse");
    write_text(tmp.path(), ring_model());
    std::ofstream(tmp.path() / "sparse" / "0" / "cameras.txt") << "7 PINHOLE 8 6 10 10 4 3\n";
    check_mentions(model_error(tmp.path()), {"images.txt", "CAMERA_ID 1", "no such camera"});
  }
}

TEST_CASE("transforms.json: nerfstudio's train_filenames, val_filenames and test_filenames name the splits") {
  nerds_test::TempFolder tmp("named_splits");
  fs::create_directories(tmp.path() / "images");
  nerds::Image8 image{kWidth, kHeight, 3, std::vector<uint8_t>(kWidth * kHeight * 3, 128)};
  std::ostringstream frames;
  for (int i = 0; i < 5; ++i) {
    nerds::write_png((tmp.path() / "images" / image_name(i)).string(), image);
    frames << (i ? "," : "") << R"({"file_path": "images/)" << image_name(i)
           << R"(", "transform_matrix": [[1,0,0,0],[0,1,0,0],[0,0,1,3],[0,0,0,1]]})";
  }
  const auto write = [&](const std::string& splits) {
    std::ofstream(tmp.path() / "transforms.json")
        << R"({"fl_x": 10, "w": 8, "h": 6, )" << splits << R"("frames": [)" << frames.str() << "]}";
  };
  const auto names = [&](const std::string& split) {
    std::vector<std::string> out;
    for (const nerds::Frame& f : nerds::load_dataset(tmp.str(), DatasetOptions{split, 1, false}).frames)
      out.push_back(fs::path(f.image_path).filename().string());
    return out;
  };
  write(R"("train_filenames": ["images/frame_101.png", "./images/frame_103.png", "images/frame_104.png"],
           "test_filenames": ["images/frame_102.png"],)");
  CHECK(names("train") == std::vector<std::string>{image_name(1), image_name(3), image_name(4)});
  CHECK(names("test") == std::vector<std::string>{image_name(2)});
  CHECK(names("val") == std::vector<std::string>{image_name(2)});  // val falls back on test_filenames
  CHECK(names("all").size() == 5);

  write(R"("train_filenames": ["images/frame_101.png", "images/nope.png"], "test_filenames": [],)");
  check_mentions(dataset_error(tmp.str(), DatasetOptions{"train", 1, false}),
                 {"transforms.json", "train_filenames[1]", "'images/nope.png' is no frame's file_path"});
  check_mentions(dataset_error(tmp.str(), DatasetOptions{"test", 1, false}),
                 {"transforms.json", "test_filenames", "split 'test' is empty"});
  write(R"("test_filenames": ["images/frame_102.png"],)");
  check_mentions(dataset_error(tmp.str(), DatasetOptions{"train", 1, false}),
                 {"transforms.json", "train_filenames", "missing"});
}
