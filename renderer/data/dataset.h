// A posed image set in the engine's frame, loaded from NeRF-synthetic
// (transforms_{split}.json + camera_angle_x; per-frame w, h, lossmult as in Mip-NeRF's
// multiscale Blender), instant-ngp / nerfstudio transforms.json
// (fl_x fl_y cx cy w h, k1 k2 p1 p2, aabb_scale, scale, offset), LLFF (poses_bounds.npy) or
// a COLMAP sparse model (sparse/0/ with images/; colmap_model.h).
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
#include "renderer/math/frame_image.h"
#include "renderer/math/vec3.h"

namespace nerds {

// Bounds of the scene-box fields a dataset may give (instant-ngp's aabb_scale, scale, offset),
// checked when loading so that no size reaches the engine that it cannot lay out:
// aabb_scale at most 128, instant-ngp's largest (its powers of two 1..128), i.e. 8 occupancy
// cascades and a finest hash-grid level of 2048 * 128 cells, both far inside 32-bit indices;
// scale (world -> box units) from 1e-6 to 1e6 and offsets within 1000 box units, beyond which
// float positions lose the precision of a hash-grid cell.
constexpr double kMaxAabbScale = 128.0;
constexpr double kMinSceneScale = 1e-6, kMaxSceneScale = 1e6;
constexpr double kMaxSceneOffset = 1e3;

struct Frame {
  std::string image_path;  // absolute or relative to the working directory
  Pose pose;               // camera-to-world in the engine's frame (already scaled/offset)
  Intrinsics intrinsics;   // after any downscale; its width x height is the frame's image size
  // Mip-NeRF's multiscale Blender ("lossmult" per frame): the loss weight of this image's
  // pixels, their area in full-resolution pixels; 1 when the file gives none.
  float lossmult = 1.f;
};

struct DatasetOptions {
  std::string split = "train";  // train | val | test | all
  int downscale = 1;            // integer box downscale of each frame's image (and intrinsics)
  bool load_images = true;      // false: poses and intrinsics only
};

struct Dataset {
  std::string root;               // the folder it was loaded from
  std::string format;             // "nerf_synthetic", "transforms", "llff" or "colmap"
  std::string split;
  std::vector<Frame> frames;
  // RGBA8, straight alpha, the frames' images back to back in frame order. Frames may differ
  // in size (Mip-NeRF's multiscale Blender): frame i is frames[i].intrinsics.width x height
  // and starts at pixel frame_images[i].first_pixel (image(i) points there).
  std::vector<uint8_t> rgba;
  // One per frame, derived from `frames` by lay_out_images(): the packed form of the frames'
  // sizes and lossmult that the training kernels read.
  std::vector<FrameImage> frame_images;
  // The largest frame's size (every frame's, when they share one): for summaries only.
  int width = 0, height = 0;
  bool has_alpha = false;         // true when the source images carry alpha (RGBA PNG)
  float aabb_scale = 1.f;         // the side of the scene box in the engine's frame
  float scale = 0.33f;            // world -> engine: p * scale + offset
  Vec3 offset = make_vec3(0.5f, 0.5f, 0.5f);
  // The scene's depth bounds over all cameras (LLFF: the nearest and farthest depth of its
  // points; the project's scenes: the transforms files' near_far), in world units (before
  // scale/offset); 0 when the dataset gives none. For LLFF the
  // world frame is NeRF's (recentered, near_bound = 1/0.75), where NDC uses the near plane 1.
  float near_bound = 0.f, far_bound = 0.f;
  // The true pose of each frame where the written ones are perturbed (a train split with
  // transforms_train_true.json beside it, renderer/data/true_poses.h), in the engine's frame;
  // empty otherwise. Pose refinement (BARF) is measured against them.
  std::vector<Pose> true_poses;

  size_t pixel_count(size_t frame) const { return static_cast<size_t>(nerds::pixel_count(frame_images[frame])); }
  size_t total_pixels() const;  // of all frames
  const uint8_t* image(size_t frame) const { return rgba.data() + frame_images[frame].first_pixel * 4; }
  // True when every frame has the same image size.
  bool one_image_size() const;
  // The lossmult of the mean pixel (weighted by each frame's pixel count); 1 when none is given.
  double mean_lossmult() const;
  // What TrainingRay::loss_weight multiplies lossmult by so that the weights average 1 over
  // the pixels (TrainingImagesView::loss_weight_scale, for both backends).
  float loss_weight_scale() const { return static_cast<float>(1.0 / mean_lossmult()); }
  // Fills frame_images from the frames (sizes from their intrinsics, back to back in frame
  // order; lossmult) and width/height from the largest; call it after changing `frames`.
  // rgba must then hold total_pixels() * 4 bytes (or none, for a split loaded without images).
  void lay_out_images();
};

// Loads `dir` (a folder with transforms_<split>.json, transforms.json, LLFF's
// poses_bounds.npy with images/ or images_<downscale>/ (see llff_loader.cpp), or a COLMAP
// model in sparse/0/ with images/ (colmap_loader.cpp, colmap_model.h)) and throws
// InputError naming the file and field on any bad input: malformed or missing JSON, missing
// image, image of another size than its frame declares, NaN or non-rigid pose, empty split,
// unknown split name, a camera value out of camera_checks.h's bounds (focal length, principal
// point, distortion, position), or a split none of whose cameras sees the scene box.
// For a single transforms.json (unless it names its splits: train_filenames, val_filenames,
// test_filenames), LLFF or COLMAP (images sorted by name) the split is made by holding out
// every 8th frame (frames 0, 8, 16, ... are "test"; the rest "train"; "val" == "test"; "all" =
// every frame).
Dataset load_dataset(const std::string& dir, const DatasetOptions& options = {});

// A camera-to-world pose of the dataset's world frame (as its files write it) in the engine's
// frame: positions scale and shift (p * scale + offset), axes stay. The loaders map every
// frame with it; a client maps a pose it reads elsewhere (a card's guided step) the same way.
Pose to_engine_frame(Pose pose, float scale, Vec3 offset);

}  // namespace nerds
