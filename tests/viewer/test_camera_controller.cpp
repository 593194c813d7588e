// The viewer's camera controller, without a window: home view, orbit, pan, zoom, fly, snapping
// to a dataset camera, and that every pose it gives is a rigid camera looking at its target.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "tests/test_support/pose_checks.h"
#include "viewer/core/camera_controller.h"

using namespace nerds;
using namespace nerds::viewer;

namespace {

Vec3 column(const Pose& p, int c) { return nerds_test::pose_column(p, c); }
using nerds_test::check_rigid;

// Cosine between the camera's view axis (-z) and the direction to `p`.
float looks_at(const Pose& pose, Vec3 p) { return dot(-column(pose, 2), normalize(p - pose.origin())); }

// Cameras on a circle around the box center at distance 2, up = +z (Blender's convention).
std::vector<Pose> ring(int n) {
  std::vector<Pose> poses;
  for (int i = 0; i < n; ++i) {
    const float a = 6.2831853f * i / n;
    const Vec3 eye = make_vec3(0.5f + 2.f * std::cos(a), 0.5f + 2.f * std::sin(a), 0.9f);
    poses.push_back(look_at(eye, make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 0.f, 1.f)));
  }
  return poses;
}

}  // namespace

TEST_CASE("camera: the home view looks at the box center from the training cameras' distance and up") {
  const std::vector<Pose> poses = ring(8);
  const OrbitState home = CameraController::home_for(poses);
  CHECK(home.up.z > 0.9f);
  CHECK(home.distance == doctest::Approx(length(poses[0].origin() - make_vec3(0.5f, 0.5f, 0.5f))).epsilon(1e-4));
  CameraController c;
  c.set_home(home);
  const Pose p = c.pose();
  check_rigid(p);
  CHECK(looks_at(p, home.target) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(length(p.origin() - poses[0].origin()) < 1e-3f);  // starts where the first camera is
  CHECK(column(p, 1).z > 0.f);                            // upright
}

TEST_CASE("camera: orbiting keeps the distance to the target and the target in view, and clamps the pitch") {
  CameraController c;
  c.set_home(CameraController::home_for(ring(4)));
  const OrbitState before = c.state();
  CameraInput in;
  in.orbit[0] = 100.f;
  in.orbit[1] = -40.f;
  CHECK(c.apply(in, 600.f));
  const Pose p = c.pose();
  check_rigid(p);
  CHECK(length(p.origin() - before.target) == doctest::Approx(before.distance).epsilon(1e-4));
  CHECK(looks_at(p, before.target) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(c.state().yaw_deg != doctest::Approx(before.yaw_deg));
  in.orbit[0] = 0.f;
  in.orbit[1] = 1e5f;  // far past the pole
  c.apply(in, 600.f);
  CHECK(c.state().pitch_deg <= 89.f);
  check_rigid(c.pose());
}

TEST_CASE("camera: zoom scales the distance, pan moves the target across the view, fly moves along it") {
  CameraController c;
  c.set_home(CameraController::home_for(ring(4)));
  const OrbitState s0 = c.state();
  CameraInput zoom;
  zoom.zoom = 2.f;
  c.apply(zoom, 600.f);
  CHECK(c.state().distance == doctest::Approx(s0.distance * 0.81f).epsilon(1e-4));

  const Pose p0 = c.pose();
  CameraInput pan;
  pan.pan[0] = 30.f;  // drag right: the scene follows the mouse, the target moves left
  c.apply(pan, 600.f);
  const Vec3 moved = c.state().target - s0.target;
  CHECK(dot(moved, column(p0, 0)) < 0.f);
  CHECK(std::fabs(dot(moved, column(p0, 2))) < 1e-5f);  // nothing along the view axis
  // The target moves by as much as the pixels span at its distance.
  const float per_pixel = 2.f * c.state().distance * std::tan(s0.fov_deg * 3.14159265f / 360.f) / 600.f;
  CHECK(length(moved) == doctest::Approx(30.f * per_pixel).epsilon(1e-3));

  const Pose p1 = c.pose();
  CameraInput fly;
  fly.fly[2] = 1.f;  // W
  fly.dt = 0.5f;
  c.apply(fly, 600.f);
  const Vec3 step = c.pose().origin() - p1.origin();
  CHECK(dot(normalize(step), -column(p1, 2)) == doctest::Approx(1.0).epsilon(1e-4));
  CameraInput nothing;
  CHECK_FALSE(c.apply(nothing, 600.f));
}

TEST_CASE("camera: snapping to a dataset camera gives its exact pose until the next movement") {
  const std::vector<Pose> poses = ring(6);
  CameraController c;
  c.set_home(CameraController::home_for(poses));
  c.look_from(poses[3], make_vec3(0.5f, 0.5f, 0.5f));
  CHECK(c.exact());
  const Pose p = c.pose();
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 4; ++k) CHECK(p.m[r][k] == poses[3].m[r][k]);
  // The orbit continues from the same place: a tiny orbit stays next to the dataset camera.
  CameraInput in;
  in.orbit[0] = 0.01f;
  c.apply(in, 600.f);
  CHECK_FALSE(c.exact());
  CHECK(length(c.pose().origin() - poses[3].origin()) < 1e-3f);
  c.reset();
  CHECK(length(c.pose().origin() - poses[0].origin()) < 1e-3f);
}

TEST_CASE("camera: a degenerate input never leaves a NaN pose") {
  CameraController c;
  c.set_home(CameraController::home_for({}));
  CameraInput in;
  in.pan[0] = NAN;
  c.apply(in, 600.f);
  const Pose p = c.pose();
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 4; ++k) CHECK(std::isfinite(p.m[r][k]));
}
