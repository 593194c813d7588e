// load_dataset: picks the format from the folder's files (NeRF-synthetic, transforms.json,
// LLFF's poses_bounds.npy, a COLMAP model in sparse/0/, in that order: LLFF captures often
// carry their COLMAP model too), parses it, reads the images and
// maps the poses into the engine's frame (instant-ngp's: p -> p * scale + offset), where every
// camera must lie near the scene box and one at least must see it (camera_checks.h).
#include "renderer/data/dataset.h"

#include <filesystem>
#include <string>
#include <utility>

#include "renderer/data/camera_checks.h"
#include "renderer/data/dataset_loaders.h"
#include "renderer/data/true_poses.h"
#include "renderer/error.h"

namespace nerds {
namespace {

namespace fs = std::filesystem;
using dataset_loaders::is_file;

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

}  // namespace

namespace dataset_loaders {

bool in_default_split(size_t index, const std::string& split) {
  constexpr size_t kHoldoutEvery = 8;  // LLFF's and NeRF's protocol
  if (split == "all") return true;
  const bool held_out = index % kHoldoutEvery == 0;
  return split == "train" ? !held_out : held_out;  // "val" and "test" are the held-out views
}

}  // namespace dataset_loaders

Pose to_engine_frame(Pose pose, float scale, Vec3 offset) {
  for (int r = 0; r < 3; ++r) pose.m[r][3] = pose.m[r][3] * scale + offset[r];
  return pose;
}

size_t Dataset::total_pixels() const {
  if (frame_images.empty()) return 0;
  return static_cast<size_t>(frame_images.back().first_pixel + nerds::pixel_count(frame_images.back()));
}

bool Dataset::one_image_size() const {
  for (const FrameImage& f : frame_images)
    if (f.width != frame_images.front().width || f.height != frame_images.front().height) return false;
  return true;
}

double Dataset::mean_lossmult() const {
  double weighted = 0.0, pixels = 0.0;
  for (const FrameImage& f : frame_images) {
    weighted += static_cast<double>(f.lossmult) * static_cast<double>(nerds::pixel_count(f));
    pixels += static_cast<double>(nerds::pixel_count(f));
  }
  return pixels > 0.0 ? weighted / pixels : 1.0;
}

void Dataset::lay_out_images() {
  frame_images.clear();
  width = height = 0;
  uint64_t next = 0, largest = 0;
  for (const Frame& frame : frames) {
    FrameImage f;
    f.first_pixel = next;
    f.width = frame.intrinsics.width;
    f.height = frame.intrinsics.height;
    f.lossmult = frame.lossmult;
    frame_images.push_back(f);
    next += nerds::pixel_count(f);
    if (nerds::pixel_count(f) > largest) {
      largest = nerds::pixel_count(f);
      width = f.width;
      height = f.height;
    }
  }
}

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
  } else if (!dataset_loaders::colmap_model_dir(dir).empty()) {
    dataset.format = "colmap";
    parsed = dataset_loaders::parse_colmap(dir, split);
  } else {
    throw InputError(
        dir, "",
        "no " + split_file + " (NeRF-synthetic), transforms.json (instant-ngp), poses_bounds.npy (LLFF) or "
        "sparse/0/cameras.bin|txt (COLMAP) found");
  }
  // What is left to do after the pre-downscaled images (LLFF images_N) the parser picked.
  const int downscale = options.downscale / parsed.prescaled;

  // Frame by frame: a multiscale dataset's smallest images meet the limit first.
  for (size_t i = 0; i < parsed.frames.size(); ++i) {
    const Intrinsics& full = parsed.frames[i].intrinsics;
    if (full.width < downscale || full.height < downscale)
      throw InputError(parsed.origins[i].json_file, parsed.origins[i].field("file_path"),
                       "downscale " + std::to_string(options.downscale) + " exceeds the image size " +
                           std::to_string(full.width * parsed.prescaled) + "x" +
                           std::to_string(full.height * parsed.prescaled));
  }

  dataset.root = dir;
  dataset.split = split;
  dataset.aabb_scale = parsed.aabb_scale;
  dataset.scale = parsed.scale;
  dataset.offset = parsed.offset;
  dataset.near_bound = parsed.near_bound;
  dataset.far_bound = parsed.far_bound;
  dataset.frames = parsed.frames;  // the parsed ones keep the full size the images are checked against
  for (size_t i = 0; i < dataset.frames.size(); ++i) {
    Frame& frame = dataset.frames[i];
    frame.intrinsics = downscaled(frame.intrinsics, downscale);
    frame.pose = to_engine_frame(frame.pose, dataset.scale, dataset.offset);
    check_camera_position(frame.pose, parsed.origins[i].json_file, parsed.origins[i].field("transform_matrix"));
  }
  // Before reading any image: a split whose cameras all miss the scene box trains on nothing.
  check_cameras_see_box(dataset.frames, dataset.aabb_scale, parsed.origins.front().json_file, split);
  dataset.true_poses = load_true_poses(dataset);
  dataset.lay_out_images();
  dataset_loaders::load_frame_images(parsed, downscale, options.load_images, &dataset);
  return dataset;
}

}  // namespace nerds
