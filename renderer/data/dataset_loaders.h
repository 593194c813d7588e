// Private to renderer/data: the steps load_dataset (dataset.cpp) assembles. A format parser
// turns a folder's JSON into frames at full resolution in the source's world frame; the
// frame images are then read (frame_images.cpp), downscaled, and the poses mapped into the
// engine's frame.
#pragma once

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"

namespace nerds::dataset_loaders {

// Whether `path` names a regular file (false, not an exception, when it cannot be checked).
inline bool is_file(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

// Where a frame came from, so that an error about its image names the JSON file and record.
struct FrameOrigin {
  std::string json_file;
  int index = 0;  // the frame's index in that file's "frames" array
  bool declares_size = false;  // the frame gives its own w and h (else its file or an image does)
  // How messages name the frame when it is no "frames" entry (COLMAP: "image 7 (a.png)").
  std::string record = {};
  std::string field(const std::string& key) const {
    return record.empty() ? "frames[" + std::to_string(index) + "]." + key : record + " " + key;
  }
};

struct ParsedFrames {
  std::vector<Frame> frames;         // full-resolution intrinsics, poses in the source frame
  std::vector<FrameOrigin> origins;  // one per frame
  float aabb_scale = 1.f;
  float scale = 0.33f;               // instant-ngp's defaults
  Vec3 offset = make_vec3(0.5f, 0.5f, 0.5f);
  // The images on disk are already `prescaled` times smaller than the source's full
  // resolution (LLFF's images_N folders) and the frames' intrinsics describe them, so
  // load_dataset downscales them by only downscale / prescaled more.
  int prescaled = 1;
  float near_bound = 0.f, far_bound = 0.f;  // Dataset::near_bound / far_bound
};

// The split of a format that has none in its files (transforms.json without split lists,
// LLFF, COLMAP): frames 0, 8, 16, ... are held out as "test" (== "val"), the rest "train".
bool in_default_split(size_t index, const std::string& split);

// DIR/transforms_<split>.json ("all": train, val, test). See nerf_synthetic_loader.cpp.
ParsedFrames parse_nerf_synthetic(const std::string& dir, const std::string& split);
// DIR/transforms.json, instant-ngp / nerfstudio style. See transforms_loader.cpp.
ParsedFrames parse_transforms(const std::string& dir, const std::string& split);
// The optional scene-box fields instant-ngp reads (aabb_scale, scale, offset) of a JSON root;
// both JSON formats accept them (see transforms_loader.cpp).
void read_scene_box(const nlohmann::json& root, const std::string& file, ParsedFrames* parsed);
// A frame's optional "lossmult" (Mip-NeRF's multiscale Blender): a positive number, 1 when absent.
float read_lossmult(const nlohmann::json& frame, const std::string& file, const std::string& where);
// DIR/sparse/0/ (or DIR/sparse/), a COLMAP model, with DIR/images/. See colmap_loader.cpp.
ParsedFrames parse_colmap(const std::string& dir, const std::string& split);
// The folder of DIR's COLMAP model (DIR/sparse/0 or DIR/sparse), "" when it has none.
std::string colmap_model_dir(const std::string& dir);
// DIR/poses_bounds.npy with DIR/images/ or DIR/images_<N>/ (LLFF). See llff_loader.cpp.
ParsedFrames parse_llff(const std::string& dir, const std::string& split, int downscale);

// The header of a frame's image; a missing or unreadable image is an InputError naming the
// JSON file and the frame's file_path field.
ImageInfo frame_image_info(const std::string& image_path, const FrameOrigin& origin);

// Reads every frame's image (only the header when !load_pixels) on 2 threads, checks that
// each is its parsed frame's intrinsics.width x height (the full size), box-downscales it by
// `downscale` into dataset->rgba at the place dataset->frame_images gives it (laid out
// already, from the downscaled frames) and sets has_alpha.
void load_frame_images(const ParsedFrames& parsed, int downscale, bool load_pixels, Dataset* dataset);

}  // namespace nerds::dataset_loaders
