// load_dataset: picks the format from the folder's files (NeRF-synthetic, transforms.json,
// LLFF's poses_bounds.npy, in that order), parses it, reads the images and
// maps the poses into the engine's frame (instant-ngp's: p -> p * scale + offset).
#include "renderer/data/dataset.h"

#include <filesystem>
#include <utility>

#include "renderer/data/dataset_loaders.h"
#include "renderer/error.h"

namespace nerds {
namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

Intrinsics downscaled(Intrinsics k, int factor) {
  // Images are floor-divided and cropped at the right/bottom edge (downscale_image), so the
  // top-left origin stays put and every pixel-unit quantity scales by exactly 1/factor.
  const float s = 1.f / static_cast<float>(factor);
  k.fx *= s;
  k.fy *= s;
  k.cx *= s;
  k.cy *= s;
  k.width /= factor;
  k.height /= factor;
  return k;  // distortion acts on normalized coordinates: unchanged
}

// Camera-to-world into the engine's frame: positions scale and shift, axes stay.
Pose to_engine_frame(Pose pose, float scale, Vec3 offset) {
  for (int r = 0; r < 3; ++r) pose.m[r][3] = pose.m[r][3] * scale + offset[r];
  return pose;
}

}  // namespace

Dataset load_dataset(const std::string& dir, const DatasetOptions& options) {
  if (options.downscale < 1)
    throw InputError(dir, "downscale", "must be an integer >= 1, got " + std::to_string(options.downscale));
  const std::string& split = options.split;
  if (split != "train" && split != "val" && split != "test" && split != "all")
    throw InputError(dir, "split", "unknown split '" + split + "' (expected train, val, test or all)");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir, "", "dataset folder not found");

  // NeRF-synthetic when it has its per-split files (transforms_train.json wins over a
  // transforms.json lying beside it), else instant-ngp / nerfstudio.
  Dataset dataset;
  dataset_loaders::ParsedFrames parsed;
  const std::string split_file = "transforms_" + (split == "all" ? std::string("train") : split) + ".json";
  if (is_file(fs::path(dir) / "transforms_train.json") || is_file(fs::path(dir) / split_file)) {
    dataset.format = "nerf_synthetic";
    parsed = dataset_loaders::parse_nerf_synthetic(dir, split);
  } else if (is_file(fs::path(dir) / "transforms.json")) {
    dataset.format = "transforms";
    parsed = dataset_loaders::parse_transforms(dir, split);
  } else if (is_file(fs::path(dir) / "poses_bounds.npy")) {
    dataset.format = "llff";
    parsed = dataset_loaders::parse_llff(dir, split, options.downscale);
  } else {
    throw InputError(
        dir, "",
        "no " + split_file + " (NeRF-synthetic), transforms.json (instant-ngp) or poses_bounds.npy (LLFF) found");
  }
  // What is left to do after the pre-downscaled images (LLFF images_N) the parser picked.
  const int downscale = options.downscale / parsed.prescaled;

  const Intrinsics& full = parsed.frames[0].intrinsics;
  if (full.width < downscale || full.height < downscale)
    throw InputError(dir, "downscale",
                     std::to_string(options.downscale) + " exceeds the image size " +
                         std::to_string(full.width * parsed.prescaled) + "x" +
                         std::to_string(full.height * parsed.prescaled));
  dataset_loaders::load_frame_images(parsed, downscale, options.load_images, &dataset);

  dataset.root = dir;
  dataset.split = split;
  dataset.aabb_scale = parsed.aabb_scale;
  dataset.scale = parsed.scale;
  dataset.offset = parsed.offset;
  dataset.near_bound = parsed.near_bound;
  dataset.far_bound = parsed.far_bound;
  dataset.frames = std::move(parsed.frames);
  for (Frame& frame : dataset.frames) {
    frame.intrinsics = downscaled(frame.intrinsics, downscale);
    frame.pose = to_engine_frame(frame.pose, dataset.scale, dataset.offset);
  }
  return dataset;
}

}  // namespace nerds
