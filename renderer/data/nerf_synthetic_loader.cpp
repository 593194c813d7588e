// NeRF-synthetic (Mildenhall et al. 2020, Blender scenes): DIR/transforms_<split>.json with
// "camera_angle_x" (horizontal field of view) and frames of {"file_path": "./train/r_0"
// (no extension: ".png" is appended), "transform_matrix": 4x4 camera-to-world, OpenGL}.
// focal = 0.5 W / tan(0.5 camera_angle_x), principal point at the image center. The optional
// scene-box fields of transforms.json (aabb_scale, scale, offset) are read too.
#include <cmath>
#include <filesystem>

#include "renderer/data/dataset_loaders.h"
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

  const size_t first = parsed->frames.size();
  for (size_t i = 0; i < frames.size(); ++i) {
    const std::string where = "frames[" + std::to_string(i) + "]";
    Frame frame;
    frame.image_path = image_path_for(dir, require_string(frames[i], "file_path", file, where));
    frame.pose = read_pose(frames[i], file, where);
    parsed->frames.push_back(frame);
    parsed->origins.push_back(FrameOrigin{file, static_cast<int>(i)});
  }

  // The focal length needs the image width, which only the images know.
  const ImageInfo info = frame_image_info(parsed->frames[first].image_path, parsed->origins[first]);
  Intrinsics k;
  k.width = info.width;
  k.height = info.height;
  k.fx = k.fy = static_cast<float>(0.5 * info.width / std::tan(0.5 * angle_x));
  k.cx = 0.5f * info.width;
  k.cy = 0.5f * info.height;
  for (size_t i = first; i < parsed->frames.size(); ++i) parsed->frames[i].intrinsics = k;
}

}  // namespace

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
