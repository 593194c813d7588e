// The project's own sample scenes: a registry of named scenes, each rendered by the CPU ray
// tracer into a NeRF-synthetic folder (transforms_{train,val,test}.json and RGBA PNGs).
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
  int samples_per_pixel = 4;  // jittered anti-aliasing samples
  uint32_t seed = 1;          // same seed -> same bytes (camera placement and jitter)
};

struct SceneInfo {
  std::string name;
  std::string purpose;  // what the scene exercises
  std::string papers;   // the methods / papers it is meant to test
};

std::vector<SceneInfo> list_scenes();

// Writes the scene into out_dir (created if needed):
//   transforms_{train,val,test}.json   camera_angle_x, depth_scale, frames[] with file_path
//                                      "./<split>/r_<i>", depth_file_path and a 4x4
//                                      camera-to-world transform_matrix (OpenGL convention)
//   <split>/r_<i>.png                  RGBA8, sRGB, straight alpha (alpha = pixel coverage)
//   <split>/r_<i>_depth.png            16-bit gray: axial depth * depth_scale, 0 = background
// Throws nerds::InputError for an unknown name, a bad option or an unwritable folder.
void make_scene(const std::string& name, const std::string& out_dir, const SceneOptions& options);

}  // namespace nerds::scenes
