// A session file: what a reviewer sends the group to say "look at this". JSON with the scene
// (dataset folder, or a built-in scene to make there), the method and its parameters, the
// training step (and optionally a snapshot of the model beside it), the camera, what is shown
// and the inspected rays:
//
//   {"nerds_view_session": 1,
//    "scene":    {"data": "../shared/datasets/lego_100", "downscale": 1,
//                 "make": "default", "resolution": 64, "train_views": 20, "val_views": 2,
//                 "test_views": 5, "samples_per_pixel": 1, "seed": 1},       (make...: optional)
//    "method":   {"name": "instant_ngp", "params": {"encoding": {"levels": 8}}},
//    "training": {"step": 300, "running": false, "snapshot": "look.nerds", "threads": 0},
//    "camera":   {"target": [0.5, 0.5, 0.5], "up": [0, 0, 1], "distance": 1.3, "yaw_deg": 40,
//                 "pitch_deg": 20, "fov_deg": 50, "dataset_view": {"split": "test", "index": 3}},
//    "view":     {"mode": "rgb", "render_scale": 0.5, "background": [1, 1, 1],
//                 "overlays": {"frustums": true, "bbox": true, "occupancy": false, "rays": true,
//                              "occupancy_resolution": 32, "occupancy_cascade": 0},
//                 "panels": {"training": true, ...}},
//    "inspect":  [[0.5, 0.5], [0.42, 0.61]],
//    "camera_path": {"nerds_camera_path": 1, "keys": [...]},     (camera_path_file.h's format)
//    "compare":  {"request": {"paper": "mip-nerf", "toggle": "encoding.kind"}, "layout": "split",
//                 "split": 0.4, "guided_step": 3, "step_b": 300, "snapshot_b": "look-b.nerds"}}
//
// "camera_path" (optional) is the camera-path panel's keyframes, in the dataset's world frame.
// "compare" (optional) reopens compare mode: the request (compare_request_json) plans the two
// arms again over the scene's data (the folder they train on); "training" is arm A's, "step_b"
// and "snapshot_b" arm B's; "guided_step" counts from 1.
// Only "scene.data" is required. Relative paths are relative to the session file's folder.
// "method.name" is a label; "method.params" is applied over the default parameters (a saved
// session lists them all, so no method file is needed to open it).
// Any unknown key, wrong type or bad value is an InputError naming the file and the field.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "renderer/techniques/core/compare_request.h"
#include "scenes/generator/scene_maker.h"
#include "viewer/core/camera_controller.h"
#include "viewer/core/viewer_state.h"

namespace nerds::viewer {

// A compare session's own part (see above).
struct SessionCompare {
  CompareRequest request;
  CompareLayoutState view;
  int guided_step = -1;  // 0-based here, 1-based in the file; -1: none
  int step_b = 0;
  std::string snapshot_b;
};

struct Session {
  std::string data_dir;
  int downscale = 1;
  std::string make_scene;  // a built-in scene to make into data_dir when it is missing
  scenes::SceneOptions scene_options;
  std::string method_name = "instant_ngp";
  nlohmann::json params = nlohmann::json::object();  // applied over the defaults
  int step = 0;                                      // train to this step on load (from the snapshot's, if any)
  bool running = true;                               // keep training after that
  std::string snapshot;                              // a model to start from
  int threads = 0;                                   // training threads (0: all)
  std::optional<OrbitState> camera;
  ViewSettings view;
  std::vector<std::array<float, 2>> inspect;  // up to two picked rays
  std::optional<CameraPath> camera_path;      // the camera-path panel's keys (none: no keys)
  std::optional<SessionCompare> compare;      // compare mode
};

// `base_dir`: where relative paths in the file start from.
Session session_from_json(const nlohmann::json& j, const std::string& file, const std::string& base_dir);
nlohmann::json session_to_json(const Session& s);

// Reads and checks a session file (missing file, malformed JSON with its line, bad fields).
Session read_session(const std::string& path);
// Writes it atomically (temporary file + rename).
void write_session(const std::string& path, const Session& s);

}  // namespace nerds::viewer
