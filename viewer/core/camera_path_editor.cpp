#include "viewer/core/camera_path_editor.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <utility>

#include "camera_path/camera_path_file.h"
#include "renderer/error.h"

namespace nerds::viewer {

namespace {

bool has_selection(const CameraPathEditor& e) {
  return e.selected >= 0 && e.selected < static_cast<int>(e.path.keys.size());
}

}  // namespace

void add_camera_key(CameraPathEditor& e, const Pose& engine_pose, float fov_y_deg, const Dataset& train) {
  const CameraKey key = camera_key(to_world_frame(engine_pose, train), fov_y_deg, e.new_key_seconds);
  const int at = has_selection(e) ? e.selected + 1 : static_cast<int>(e.path.keys.size());
  e.path.keys.insert(e.path.keys.begin() + at, key);
  e.selected = at;
}

void remove_selected_key(CameraPathEditor& e) {
  if (!has_selection(e)) return;
  e.path.keys.erase(e.path.keys.begin() + e.selected);
  e.selected = std::min(e.selected, static_cast<int>(e.path.keys.size()) - 1);
  if (e.path.keys.size() < 2) stop_playing(e);
}

void move_selected_key(CameraPathEditor& e, int direction) {
  if (!has_selection(e)) return;
  const int to = e.selected + (direction < 0 ? -1 : 1);
  if (to < 0 || to >= static_cast<int>(e.path.keys.size())) return;
  std::swap(e.path.keys[e.selected], e.path.keys[to]);
  e.selected = to;
}

double key_seconds(const CameraPath& path, int index) {
  double t = 0.0;
  for (int i = 0; i < index && i + 1 < static_cast<int>(path.keys.size()); ++i)
    t += std::max(0.0, static_cast<double>(path.keys[i].seconds));
  return t;
}

void place_camera_on_path(CameraController& camera, const CameraPath& path, double seconds, const Dataset& train) {
  if (path.keys.empty()) return;
  const CameraPathPoint at = camera_at(path, seconds);
  OrbitState orbit = camera.state();
  orbit.fov_deg = at.fov_y_deg;
  camera.set_state(orbit);
  camera.look_from(to_engine_frame(at.pose, train), make_vec3(0.5f, 0.5f, 0.5f));
}

void start_playing(CameraPathEditor& e) {
  e.playing = e.path.keys.size() >= 2 && path_seconds(e.path) > 0.0;
  e.play_seconds = 0.0;
  e.placed = false;
}

void stop_playing(CameraPathEditor& e) { e.playing = false; }

bool advance_playback(CameraPathEditor& e, CameraController& camera, const Dataset& train, double dt) {
  if (!e.playing) return false;
  const Pose now = camera.pose();
  if (e.path.keys.empty() || (e.placed && std::memcmp(&now, &e.placed_pose, sizeof(Pose)) != 0)) {
    e.playing = false;  // no path left, or the mouse or keys moved the camera
    return false;
  }
  e.play_seconds = std::min(e.play_seconds + std::max(dt, 0.0), path_seconds(e.path));
  place_camera_on_path(camera, e.path, e.play_seconds, train);
  e.placed = true;
  e.placed_pose = camera.pose();
  if (e.play_seconds >= path_seconds(e.path)) e.playing = false;
  return true;
}

std::string save_camera_path(const CameraPathEditor& e) {
  try {
    const std::filesystem::path parent = std::filesystem::path(e.file).parent_path();
    std::error_code ec;  // a folder that cannot be made fails the write below, which names the file
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    write_camera_path(e.file, e.path);
    return "saved the camera path to " + e.file;
  } catch (const InputError& err) {
    return err.what();
  }
}

std::string load_camera_path(CameraPathEditor& e) {
  try {
    e.path = read_camera_path(e.file);
  } catch (const InputError& err) {
    return err.what();
  }
  e.selected = -1;
  stop_playing(e);
  return "opened the camera path " + e.file;
}

}  // namespace nerds::viewer
