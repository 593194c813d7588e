// The project's own sample scenes: each described by a JSON file of scenes/library/ (or a
// scene file of one's own), rendered by the CPU ray tracer into a NeRF-synthetic folder
// (transforms_{train,val,test}.json, RGBA PNGs, depth and normal images).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nerds::scenes {

struct SceneOptions {
  int resolution = 128;  // width and height of every view, in pixels
  int train_views = 100;
  int val_views = 10;
  int test_views = 50;
  int samples_per_pixel = 4;  // jittered anti-aliasing samples (a scene may ask for more)
  uint32_t seed = 1;          // same seed -> same bytes (camera placement, variations, jitter)
};

struct SceneInfo {
  std::string name;
  std::string purpose;  // what the scene exercises
  std::string papers;   // the methods / papers it is meant to test
};

// What make_scene did, for the command line to report.
struct SceneMade {
  SceneInfo info;
  int train_views = 0, val_views = 0, test_views = 0;
  int samples_per_pixel = 0;
  std::vector<std::string> notes;  // e.g. where the true poses are
};

// The library scenes, in listing order.
std::vector<SceneInfo> list_scenes();

// Writes the scene `name_or_path` (a library scene name, or a path to a scene .json file)
// into out_dir (created if needed):
//   transforms_{train,val,test}.json   camera_angle_x, depth_scale, near_far, frames[] with
//                                      file_path "./<split>/r_<i>", depth_file_path,
//                                      normal_file_path and a 4x4 camera-to-world
//                                      transform_matrix (OpenGL convention); train frames of
//                                      scenes with variations also say how the view varied
//   <split>/r_<i>.png                  RGBA8, sRGB, straight alpha (alpha = pixel coverage)
//   <split>/r_<i>_depth.png            16-bit gray: axial depth * depth_scale, 0 = background
//   <split>/r_<i>_normal.png           RGB: world normal n as (n + 1) / 2, black = background
//   nerds_scene.json                   the marker: scene_marker(name_or_path, options)
// plus, for some scenes, transforms_train_true.json (noisy-poses) or multires/ (multiscale).
// out_dir must not exist or be empty; with `overwrite` it may also hold a dataset (a made
// scene's marker or a transforms file), which is replaced. The scene is written into a hidden
// sibling folder and moved into place in one rename at the end (renderer/data/staged_folder.h),
// so a failure or a kill half way leaves out_dir as it was (absent or the old dataset).
// Throws nerds::InputError for an unknown name, a bad scene file, a bad option, a folder that
// holds other content, or an unwritable folder.
SceneMade make_scene(const std::string& name_or_path, const std::string& out_dir, const SceneOptions& options,
                     bool overwrite = false);

// The check make_scene starts with, for a client to run before it says what it is about to do:
// InputError unless out_dir may receive a scene (see make_scene).
void check_scene_folder(const std::string& out_dir, bool overwrite);

// The marker file of a made scene folder and what it holds: the scene's name (or file path)
// and the options it was made with (resolution, views per split, samples_per_pixel, seed).
constexpr const char* kSceneMarkerFile = "nerds_scene.json";
nlohmann::json scene_marker(const std::string& name_or_path, const SceneOptions& options);

// For clients that make a scene in a folder once and reuse it (nerds demo, the viewer's
// session files): does nothing when dir's marker says it holds this scene made with these
// options (returns false), makes it when dir does not exist or is empty (returns true).
// A dir that holds anything else is refused with an InputError naming the folder and what
// differs (the marker's other scene or options, or a folder without a marker, e.g. a real
// dataset), except that with replace_made_scene a folder holding another made scene (a marker)
// is made again.
bool ensure_scene(const std::string& name_or_path, const std::string& dir, const SceneOptions& options,
                  bool replace_made_scene = false);

}  // namespace nerds::scenes
