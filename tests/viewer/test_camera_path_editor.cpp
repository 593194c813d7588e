// The camera-path panel's actions without a window: keys from the current view (in the
// dataset's world frame), reorder and remove, playback moving the camera to each key at its
// time and stopping at the end, and save/load through the file format.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "viewer/core/camera_path_editor.h"
#include "viewer/core/camera_path_overlay.h"

using namespace nerds;
using namespace nerds::viewer;

namespace {

Dataset unit_train_set() {
  Dataset train;
  train.scale = 0.25f;
  train.offset = make_vec3(0.5f, 0.5f, 0.5f);
  return train;
}

// An engine-frame camera at `eye` looking at the box center.
Pose engine_view(Vec3 eye) { return look_at(eye, make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 0.f, 1.f)); }

void check_same_origin(const Pose& a, const Pose& b) {
  CHECK(a.origin().x == doctest::Approx(b.origin().x).epsilon(1e-5));
  CHECK(a.origin().y == doctest::Approx(b.origin().y).epsilon(1e-5));
  CHECK(a.origin().z == doctest::Approx(b.origin().z).epsilon(1e-5));
}

}  // namespace

TEST_CASE("camera path editor: keys are added after the selection, moved and removed") {
  const Dataset train = unit_train_set();
  CameraPathEditor e;
  add_camera_key(e, engine_view(make_vec3(1.5f, 0.5f, 0.7f)), 50.f, train);
  add_camera_key(e, engine_view(make_vec3(0.5f, 1.5f, 0.7f)), 40.f, train);
  REQUIRE(e.path.keys.size() == 2);
  CHECK(e.selected == 1);
  // Stored in the world frame: (1.5 - 0.5) / 0.25 = 4.
  CHECK(e.path.keys[0].position.x == doctest::Approx(4.0));
  e.selected = 0;
  add_camera_key(e, engine_view(make_vec3(-0.5f, 0.5f, 0.7f)), 30.f, train);
  REQUIRE(e.path.keys.size() == 3);
  CHECK(e.selected == 1);
  CHECK(e.path.keys[1].fov_y_deg == 30.f);
  move_selected_key(e, 1);
  CHECK(e.selected == 2);
  CHECK(e.path.keys[2].fov_y_deg == 30.f);
  CHECK(e.path.keys[1].fov_y_deg == 40.f);
  move_selected_key(e, 1);  // already last: stays
  CHECK(e.selected == 2);
  remove_selected_key(e);
  CHECK(e.path.keys.size() == 2);
  CHECK(e.selected == 1);
  CHECK(e.path.keys[1].fov_y_deg == 40.f);
}

TEST_CASE("camera path editor: playback puts the camera on each key at its time and stops at the end") {
  const Dataset train = unit_train_set();
  CameraPathEditor e;
  e.new_key_seconds = 1.f;
  const Pose a = engine_view(make_vec3(1.5f, 0.5f, 0.7f)), b = engine_view(make_vec3(0.5f, 1.5f, 0.9f)),
             c = engine_view(make_vec3(-0.5f, 0.5f, 0.6f));
  add_camera_key(e, a, 50.f, train);
  add_camera_key(e, b, 40.f, train);
  add_camera_key(e, c, 45.f, train);
  CameraController camera;
  start_playing(e);
  REQUIRE(e.playing);
  CHECK(advance_playback(e, camera, train, 0.0));
  check_same_origin(camera.pose(), a);
  CHECK(camera.state().fov_deg == doctest::Approx(50.0));
  CHECK(advance_playback(e, camera, train, 1.0));
  check_same_origin(camera.pose(), b);
  CHECK(camera.state().fov_deg == doctest::Approx(40.0));
  CHECK(e.playing);
  CHECK(advance_playback(e, camera, train, 5.0));  // past the end: the last key, stopped
  check_same_origin(camera.pose(), c);
  CHECK_FALSE(e.playing);
  CHECK_FALSE(advance_playback(e, camera, train, 0.1));
  // After playback the camera orbits on from where the path left it.
  CameraInput turn;
  turn.orbit[0] = 10.f;
  CHECK(camera.apply(turn, 100.f));
  CHECK(length(camera.pose().origin() - c.origin()) < 0.5f);

  // Moving the camera (mouse, keys) while it plays stops playback where the user took over.
  start_playing(e);
  CHECK(advance_playback(e, camera, train, 0.5));
  CHECK(camera.apply(turn, 100.f));
  const Pose taken = camera.pose();
  CHECK_FALSE(advance_playback(e, camera, train, 0.1));
  CHECK_FALSE(e.playing);
  check_same_origin(camera.pose(), taken);

  // One key is not a path to play.
  CameraPathEditor one;
  add_camera_key(one, a, 50.f, train);
  start_playing(one);
  CHECK_FALSE(one.playing);
}

TEST_CASE("camera path editor: save and load keep the keys, a bad file names the field") {
  nerds_test::TempFolder tmp("camera_path_editor");
  const Dataset train = unit_train_set();
  CameraPathEditor e;
  e.file = (tmp.path() / "slides" / "path.json").string();  // the folder is made on save
  add_camera_key(e, engine_view(make_vec3(1.5f, 0.5f, 0.7f)), 50.f, train);
  add_camera_key(e, engine_view(make_vec3(0.5f, 1.5f, 0.7f)), 40.f, train);
  CHECK(save_camera_path(e) == "saved the camera path to " + e.file);
  CameraPathEditor loaded;
  loaded.file = e.file;
  loaded.playing = true;
  CHECK(load_camera_path(loaded) == "opened the camera path " + e.file);
  REQUIRE(loaded.path.keys.size() == 2);
  CHECK(loaded.path.keys[1].position.y == e.path.keys[1].position.y);
  CHECK_FALSE(loaded.playing);
  CHECK(loaded.selected == -1);

  std::ofstream(e.file) << R"({"nerds_camera_path": 1, "keys": [{"position": [0, 0, 1]}]})";
  const std::string error = load_camera_path(loaded);
  CHECK(error.find("path.json") != std::string::npos);
  CHECK(error.find("keys[0].orientation_wxyz") != std::string::npos);
  CHECK(loaded.path.keys.size() == 2);  // a failed load keeps the path
}

TEST_CASE("camera path editor: the overlay draws the keys' frustums and the curve from the first key to the last") {
  const Dataset train = unit_train_set();
  CameraPathEditor e;
  const Pose a = engine_view(make_vec3(1.5f, 0.5f, 0.7f)), b = engine_view(make_vec3(0.5f, 1.5f, 0.9f));
  add_camera_key(e, a, 50.f, train);
  LineSet one;
  const LineColor key{1, 1, 1, 255}, selected{2, 2, 2, 255}, curve{3, 3, 3, 255};
  add_camera_path_lines(one, e, train, 0.05f, key, selected, curve);
  const size_t frustum_vertices = one.vertex_count();
  CHECK(frustum_vertices > 0);
  CHECK(one.rgba[0] == 2);  // the only key is selected
  add_camera_key(e, b, 40.f, train);
  e.selected = -1;
  LineSet lines;
  add_camera_path_lines(lines, e, train, 0.05f, key, selected, curve);
  const size_t curve_vertices = lines.vertex_count() - 2 * frustum_vertices;
  REQUIRE(curve_vertices >= 2);
  CHECK(lines.rgba[0] == 1);
  CHECK(lines.rgba[lines.rgba.size() - 4] == 3);
  const size_t first = 2 * frustum_vertices * 3, last = lines.xyz.size() - 3;
  CHECK(lines.xyz[first] == doctest::Approx(a.origin().x).epsilon(1e-5));
  CHECK(lines.xyz[first + 1] == doctest::Approx(a.origin().y).epsilon(1e-5));
  CHECK(lines.xyz[last] == doctest::Approx(b.origin().x).epsilon(1e-5));
  CHECK(lines.xyz[last + 1] == doctest::Approx(b.origin().y).epsilon(1e-5));
  CHECK(lines.xyz[last + 2] == doctest::Approx(b.origin().z).epsilon(1e-5));
}
