// Pinhole + OpenCV radial-tangential camera: conventions (top-left origin, +y up, -z forward)
// and the distortion model, checked against OpenCV's formula written out in double.
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>

#include "renderer/math/camera.h"

using nerds::Intrinsics;
using nerds::Vec3;

namespace {

// fox's intrinsics (instant-ngp's data/nerf/fox) at 1/8 resolution: strong enough
// distortion to matter, pixel coordinates small enough for float to hold 1e-5 px.
Intrinsics fox_eighth() {
  Intrinsics k;
  k.width = 135;
  k.height = 240;
  k.fx = 1375.52f / 8;
  k.fy = 1374.49f / 8;
  k.cx = 554.558f / 8;
  k.cy = 965.268f / 8;
  k.k1 = 0.0578421f;
  k.k2 = -0.0805099f;
  k.p1 = -0.000980296f;
  k.p2 = 0.00015575f;
  return k;
}

// OpenCV's projection (docs: "Camera Calibration and 3D Reconstruction"), in its own frame
// (x right, y down, z forward), in double; the engine's camera space is OpenGL's, so
// X = p.x, Y = -p.y, Z = -p.z.
void opencv_project(const Intrinsics& k, Vec3 p, double* u, double* v) {
  const double X = p.x, Y = -p.y, Z = -p.z;
  const double x = X / Z, y = Y / Z;
  const double r2 = x * x + y * y;
  const double radial = 1 + k.k1 * r2 + k.k2 * r2 * r2;
  const double xd = x * radial + 2 * k.p1 * x * y + k.p2 * (r2 + 2 * x * x);
  const double yd = y * radial + k.p1 * (r2 + 2 * y * y) + 2 * k.p2 * x * y;
  *u = k.fx * xd + k.cx;
  *v = k.fy * yd + k.cy;
}

}  // namespace

TEST_CASE("pixel_to_camera_dir: top-left origin, +x right, +y up, looking down -z") {
  Intrinsics k;
  k.fx = 100.f;
  k.fy = 50.f;
  k.cx = 40.f;
  k.cy = 30.f;
  Vec3 center = nerds::pixel_to_camera_dir(k, 40.f, 30.f);
  CHECK(center.x == doctest::Approx(0.f));
  CHECK(center.y == doctest::Approx(0.f));
  CHECK(center.z == -1.f);
  Vec3 right = nerds::pixel_to_camera_dir(k, 140.f, 30.f);  // one focal length to the right
  CHECK(right.x == doctest::Approx(1.f));
  CHECK(right.y == doctest::Approx(0.f));
  Vec3 below = nerds::pixel_to_camera_dir(k, 40.f, 80.f);  // image rows grow downwards
  CHECK(below.x == doctest::Approx(0.f));
  CHECK(below.y == doctest::Approx(-1.f));
  CHECK(below.z == -1.f);
}

TEST_CASE("camera_to_pixel projects points in front of the camera and refuses the others") {
  Intrinsics k;
  k.fx = k.fy = 8.f;
  k.cx = 4.f;
  k.cy = 3.f;
  float px = -7.f, py = -7.f;
  REQUIRE(nerds::camera_to_pixel(k, nerds::make_vec3(0.5f, 0.25f, -2.f), &px, &py));
  CHECK(px == doctest::Approx(6.f));  // 4 + 8 * 0.5 / 2
  CHECK(py == doctest::Approx(2.f));  // 3 - 8 * 0.25 / 2: +y is up, rows go down
  CHECK_FALSE(nerds::camera_to_pixel(k, nerds::make_vec3(0.5f, 0.25f, 2.f), &px, &py));
  CHECK_FALSE(nerds::camera_to_pixel(k, nerds::make_vec3(0.5f, 0.25f, 0.f), &px, &py));
  CHECK(px == doctest::Approx(6.f));  // untouched on failure
}

TEST_CASE("camera_to_pixel applies OpenCV radial-tangential distortion in OpenCV's y-down frame") {
  const Intrinsics k = fox_eighth();
  REQUIRE(k.distorted());
  const Vec3 points[] = {nerds::make_vec3(0.3f, 0.4f, -1.f), nerds::make_vec3(-0.25f, -0.5f, -1.5f),
                         nerds::make_vec3(0.35f, -0.6f, -2.f), nerds::make_vec3(-0.2f, 0.55f, -0.9f)};
  for (const Vec3& p : points) {
    double u = 0, v = 0;
    opencv_project(k, p, &u, &v);
    float px = 0, py = 0;
    REQUIRE(nerds::camera_to_pixel(k, p, &px, &py));
    CHECK(px == doctest::Approx(u).epsilon(1e-6));
    CHECK(py == doctest::Approx(v).epsilon(1e-6));
  }
  // The tangential terms are odd in y: projecting with y flipped the wrong way would differ.
  Intrinsics tangential_only;
  tangential_only.fx = tangential_only.fy = 100.f;
  tangential_only.p1 = 0.05f;
  float px_up = 0, py_up = 0, px_down = 0, py_down = 0;
  REQUIRE(nerds::camera_to_pixel(tangential_only, nerds::make_vec3(0.2f, 0.3f, -1.f), &px_up, &py_up));
  REQUIRE(nerds::camera_to_pixel(tangential_only, nerds::make_vec3(0.2f, -0.3f, -1.f), &px_down, &py_down));
  // OpenCV: y = -0.3 (up) gives xd = 0.2 - 2*0.05*0.2*0.3, y = +0.3 gives 0.2 + 0.006.
  CHECK(px_up == doctest::Approx(100.0 * (0.2 - 0.006)).epsilon(1e-6));
  CHECK(px_down == doctest::Approx(100.0 * (0.2 + 0.006)).epsilon(1e-6));
}

TEST_CASE("pixel_to_camera_dir undoes the distortion: pixel -> ray -> pixel within 1e-4 px") {
  const Intrinsics k = fox_eighth();
  double worst = 0.0;
  for (int j = 0; j <= 12; ++j)
    for (int i = 0; i <= 9; ++i) {
      const float px = k.width * i / 9.f, py = k.height * j / 12.f;  // includes the corners
      const Vec3 dir = nerds::pixel_to_camera_dir(k, px, py);
      CHECK(dir.z == -1.f);
      float back_x = 0, back_y = 0;
      REQUIRE(nerds::camera_to_pixel(k, dir * 3.f, &back_x, &back_y));  // any depth on the ray
      worst = std::fmax(worst, std::fmax(std::fabs(back_x - px), std::fabs(back_y - py)));
    }
  INFO("worst round-trip error (px): " << worst);
  CHECK(worst < 1e-4);

  // And a distorted pixel does not map to the pinhole ray (the undistortion did something).
  Intrinsics pinhole = k;
  pinhole.k1 = pinhole.k2 = pinhole.p1 = pinhole.p2 = 0.f;
  const Vec3 distorted_ray = nerds::pixel_to_camera_dir(k, 5.f, 5.f);
  const Vec3 pinhole_ray = nerds::pixel_to_camera_dir(pinhole, 5.f, 5.f);
  CHECK(std::fabs(distorted_ray.x - pinhole_ray.x) > 1e-3f);
}

TEST_CASE("pixel_to_camera_dir round trip at full fox resolution stays within float precision") {
  Intrinsics k = fox_eighth();
  k.fx *= 8;
  k.fy *= 8;
  k.cx *= 8;
  k.cy *= 8;
  k.width *= 8;
  k.height *= 8;
  for (float py : {0.5f, 400.f, 965.f, 1919.5f})
    for (float px : {0.5f, 300.f, 1079.5f}) {
      float back_x = 0, back_y = 0;
      REQUIRE(nerds::camera_to_pixel(k, nerds::pixel_to_camera_dir(k, px, py), &back_x, &back_y));
      CHECK(std::fabs(back_x - px) < 1e-3f);  // ~8 float ulps at 2000 px
      CHECK(std::fabs(back_y - py) < 1e-3f);
    }
}
