// The project's own sample scenes: each described by a JSON file of scenes/library/ (or a
// scene file of one's own), rendered by the CPU ray tracer into a NeRF-synthetic folder
// (transforms_{train,val,test}.json, RGBA PNGs, depth and normal images).
#pragma once

#include <cstdint>
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
// plus, for some scenes, transforms_train_true.json (noisy-poses) or multires/ (multiscale).
// Throws nerds::InputError for an unknown name, a bad scene file, a bad option or an
// unwritable folder.
SceneMade make_scene(const std::string& name_or_path, const std::string& out_dir, const SceneOptions& options);

}  // namespace nerds::scenes
