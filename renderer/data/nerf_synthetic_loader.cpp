// NeRF-synthetic (Mildenhall et al. 2020, Blender scenes): DIR/transforms_<split>.json with
// "camera_angle_x" (horizontal field of view) and frames of {"file_path": "./train/r_0"
// (no extension: ".png" is appended), "transform_matrix": 4x4 camera-to-world, OpenGL}.
// focal = 0.5 W / tan(0.5 camera_angle_x), principal point at the image center. The optional
// scene-box fields of transforms.json (aabb_scale, scale, offset) are read too.
//
// Mip-NeRF's multiscale Blender (Barron et al. 2021, Sec. 4; our `multiscale` scene's
// multires/ folder): a frame may give its own image size "w", "h" and loss weight "lossmult";
// its focal length is then 0.5 w / tan(0.5 camera_angle_x), the full image's divided by the
// downscale factor when w divides evenly (Mip-NeRF's convert_blender_data.py: focal / factor).
// Frames without w and h take the size of the file's first such frame's image.
#include <cmath>
#include <filesystem>
#include <optional>

#include "renderer/data/camera_checks.h"
#include "renderer/data/dataset_loaders.h"
#include "renderer/data/image_limits.h"
#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds::dataset_loaders {
namespace {

namespace fs = std::filesystem;
using namespace json_fields;

constexpr double kPi = 3.14159265358979323846;

std::string image_path_for(const std::string& dir, const std::string& file_path) {
  std::string path = file_path;
  const bool has_png = path.size() >= 4 && path.compare(path.size() - 4, 4, ".png") == 0;
  if (!has_png) path += ".png";
  return (fs::path(dir) / path).lexically_normal().string();
}

void append_split(const std::string& dir, const std::string& split, ParsedFrames* parsed) {
  const std::string file = (fs::path(dir) / ("transforms_" + split + ".json")).string();
  const nlohmann::json root = read_json_file(file);
  const double angle_x = require_number(root, "camera_angle_x", file, "");
  if (!(angle_x > 0.0 && angle_x < kPi))
    throw InputError(file, "camera_angle_x", "must be a field of view in (0, pi) radians");
  const nlohmann::json& frames = require_frames(root, file);
  read_scene_box(root, file, parsed);  // optional; a generated unbounded scene asks for a larger box

  int shared_width = 0, shared_height = 0;  // of the frames without w and h: their first image's
  for (size_t i = 0; i < frames.size(); ++i) {
    const std::string where = "frames[" + std::to_string(i) + "]";
    Frame frame;
    FrameOrigin origin{file, static_cast<int>(i)};
    frame.image_path = image_path_for(dir, require_string(frames[i], "file_path", file, where));
    frame.pose = read_pose(frames[i], file, where);
    frame.lossmult = read_lossmult(frames[i], file, where);
    const std::optional<double> w = optional_number(frames[i], "w", file, where);
    const std::optional<double> h = optional_number(frames[i], "h", file, where);
    if (w.has_value() != h.has_value())
      throw InputError(file, field_name(where, w ? "h" : "w"),
                       "missing: a frame with its own image size gives w and h");
    int width = 0, height = 0;
    if (w) {
      width = checked_image_side(*w, file, field_name(where, "w"));
      height = checked_image_side(*h, file, field_name(where, "h"));
      origin.declares_size = true;
    } else {
      if (shared_width == 0) {  // the focal length needs the image width, which only the image knows
        const ImageInfo info = frame_image_info(frame.image_path, origin);
        shared_width = info.width;
        shared_height = info.height;
      }
      width = shared_width;
      height = shared_height;
    }
    Intrinsics& k = frame.intrinsics;
    k.width = width;
    k.height = height;
    const double focal = 0.5 * width / std::tan(0.5 * angle_x);
    check_focal_length(focal, width, file, "camera_angle_x");  // a field of view of 1e-300 is no lens
    check_focal_length(focal, height, file, "camera_angle_x");
    k.fx = k.fy = static_cast<float>(focal);
    k.cx = 0.5f * width;
    k.cy = 0.5f * height;
    parsed->frames.push_back(frame);
    parsed->origins.push_back(origin);
  }
}

}  // namespace

float read_lossmult(const nlohmann::json& frame, const std::string& file, const std::string& where) {
  const std::optional<double> lossmult = optional_number(frame, "lossmult", file, where);
  if (lossmult && !(*lossmult > 0.0 && *lossmult < 1e12))
    throw InputError(file, field_name(where, "lossmult"), "must be a positive loss weight");
  return static_cast<float>(lossmult.value_or(1.0));
}

ParsedFrames parse_nerf_synthetic(const std::string& dir, const std::string& split) {
  ParsedFrames parsed;  // instant-ngp's defaults: scale 0.33, offset 0.5, aabb_scale 1
  if (split == "all") {
    for (const char* part : {"train", "val", "test"}) append_split(dir, part, &parsed);
  } else {
    append_split(dir, split, &parsed);
  }
  return parsed;
}

}  // namespace nerds::dataset_loaders
