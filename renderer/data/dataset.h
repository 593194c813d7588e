// A posed image set in the engine's frame, loaded from NeRF-synthetic
// (transforms_{split}.json + camera_angle_x), instant-ngp / nerfstudio transforms.json
// (fl_x fl_y cx cy w h, k1 k2 p1 p2, aabb_scale, scale, offset) or LLFF (poses_bounds.npy).
//
// The engine's frame is instant-ngp's: a world point p maps to p * scale + offset, so that
// the scene's bounding box [0.5 - aabb_scale/2, 0.5 + aabb_scale/2]^3 holds the content
// (for NeRF-synthetic the default scale 0.33 and offset 0.5 map [-1.5,1.5]^3 into [0,1]^3).
// Poses stay camera-to-world, OpenGL convention, with the translation mapped likewise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "renderer/math/camera.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct Frame {
  std::string image_path;  // absolute or relative to the working directory
  Pose pose;               // camera-to-world in the engine's frame (already scaled/offset)
  Intrinsics intrinsics;   // after any downscale
};

struct DatasetOptions {
  std::string split = "train";  // train | val | test | all
  int downscale = 1;            // integer box downscale of every image (and intrinsics)
  bool load_images = true;      // false: poses and intrinsics only
};

struct Dataset {
  std::string root;               // the folder it was loaded from
  std::string format;             // "nerf_synthetic", "transforms" or "llff"
  std::string split;
  std::vector<Frame> frames;
  // RGBA8, straight alpha, one image after the other (frame i at i*width*height*4);
  // every frame of a dataset has the same size (a mismatch is an InputError).
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;
  bool has_alpha = false;         // true when the source images carry alpha (RGBA PNG)
  float aabb_scale = 1.f;         // the side of the scene box in the engine's frame
  float scale = 0.33f;            // world -> engine: p * scale + offset
  Vec3 offset = make_vec3(0.5f, 0.5f, 0.5f);
  // The scene's depth bounds over all cameras (LLFF: the nearest and farthest depth of its
  // points), in world units (before scale/offset); 0 when the format has none. For LLFF the
  // world frame is NeRF's (recentered, near_bound = 1/0.75), where NDC uses the near plane 1.
  float near_bound = 0.f, far_bound = 0.f;

  size_t pixel_count() const { return static_cast<size_t>(width) * height; }
  const uint8_t* image(size_t i) const { return rgba.data() + i * pixel_count() * 4; }
};

// Loads `dir` (a folder with transforms_<split>.json, transforms.json, or LLFF's
// poses_bounds.npy with images/ or images_<downscale>/; see llff_loader.cpp) and throws
// InputError naming the file and field on any bad input: malformed or missing JSON, missing
// image, image of another size, NaN or non-rigid pose, empty split, unknown split name.
// For a single transforms.json or LLFF the split is made by holding out every 8th frame
// (frames 0, 8, 16, ... are "test"; the rest "train"; "val" == "test"; "all" = every frame).
Dataset load_dataset(const std::string& dir, const DatasetOptions& options = {});

}  // namespace nerds
