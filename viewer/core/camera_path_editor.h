// The camera-path panel's state and what its buttons do, without ImGui (unit tested): keys
// added from the current view, removed, reordered and timed; the path played back by moving
// the viewer's camera along it; saved and loaded as camera path files (camera_path/).
//
// The keys are kept as the file holds them, in the dataset's world frame, so a path saved here
// renders with `nerds render --path` of a run on the same dataset; the viewer's camera lives in
// the engine's frame, and the train split's scale and offset convert between the two.
#pragma once

#include <string>

#include "camera_path/camera_path.h"
#include "viewer/core/camera_controller.h"

namespace nerds::viewer {

struct CameraPathEditor {
  CameraPath path;
  std::string file = "runs/camera-path.json";
  int selected = -1;  // the key the buttons act on; -1: none
  bool open = false;  // the panel's section is expanded
  bool playing = false;
  double play_seconds = 0.0;  // where playback is along the path
  bool placed = false;        // playback put the camera at placed_pose (the last frame)
  Pose placed_pose;
  float new_key_seconds = 2.f;  // the duration a new key gets
};

// A key from the camera as it is now (pose in the engine's frame, vertical field of view),
// inserted after the selected key (at the end when none is) and selected.
void add_camera_key(CameraPathEditor& e, const Pose& engine_pose, float fov_y_deg, const Dataset& train);
void remove_selected_key(CameraPathEditor& e);
// Moves the selected key one place earlier (-1) or later (+1); it stays selected.
void move_selected_key(CameraPathEditor& e, int direction);

// Puts `camera` where the path is at `seconds` (the field of view too); after it the camera
// orbits around the scene box's center as after snapping to a dataset camera.
void place_camera_on_path(CameraController& camera, const CameraPath& path, double seconds, const Dataset& train);
// The time at which the path reaches key `index`.
double key_seconds(const CameraPath& path, int index);

// Playback: start from the beginning (needs two keys), stop where it is.
void start_playing(CameraPathEditor& e);
void stop_playing(CameraPathEditor& e);
// One frame of playback, `dt` seconds after the last: moves the camera along the path and
// stops at its end (the camera on the last key), or where the user took the camera over (it
// is no longer where the last frame put it). Returns true when it moved the camera.
bool advance_playback(CameraPathEditor& e, CameraController& camera, const Dataset& train, double dt);

// Save and load through the camera path file format; each returns the line the window shows:
// what it did, or the error naming the file and the field. A failed save leaves the file as it
// was, a failed load the path; a load stops playback and selects no key.
std::string save_camera_path(const CameraPathEditor& e);
std::string load_camera_path(CameraPathEditor& e);

}  // namespace nerds::viewer
