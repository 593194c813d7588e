// A folder that went through COLMAP: DIR/sparse/0/ (or DIR/sparse/) holding the sparse model
// (colmap_model.h: text or binary) and DIR/images/ the images it registered, by their COLMAP
// names. The poses, intrinsics (with distortion) and scene box are colmap_scene's; images are
// sorted by name and every 8th (0, 8, 16, ...) is held out as "test" (== "val").
#include <filesystem>

#include "renderer/data/colmap_model.h"
#include "renderer/data/dataset_loaders.h"
#include "renderer/error.h"

namespace nerds::dataset_loaders {

namespace fs = std::filesystem;

std::string colmap_model_dir(const std::string& dir) {
  for (const char* sub : {"sparse/0", "sparse"}) {
    const fs::path candidate = fs::path(dir) / sub;
    if (is_colmap_model_dir(candidate.string())) return candidate.string();
  }
  return "";
}

ParsedFrames parse_colmap(const std::string& dir, const std::string& split) {
  const ColmapModel model = read_colmap_model(colmap_model_dir(dir));
  const ColmapScene scene = colmap_scene(model);
  ParsedFrames parsed;
  parsed.aabb_scale = scene.aabb_scale;
  parsed.scale = scene.scale;
  parsed.offset = scene.offset;
  for (size_t i = 0; i < scene.views.size(); ++i) {
    if (!in_default_split(i, split)) continue;
    const ColmapView& view = scene.views[i];
    Frame frame;
    frame.image_path = (fs::path(dir) / "images" / view.name).lexically_normal().string();
    frame.pose = view.pose;
    frame.intrinsics = view.intrinsics;
    FrameOrigin origin{model.images_file, static_cast<int>(i)};
    origin.record = "image " + std::to_string(view.image_id) + " (" + view.name + ")";
    // Here, so that a missing image names its record in the model (its camera's size is then
    // checked by load_frame_images).
    frame_image_info(frame.image_path, origin);
    parsed.frames.push_back(frame);
    parsed.origins.push_back(origin);
  }
  if (parsed.frames.empty())
    throw InputError(model.images_file, "",
                     "split '" + split + "' is empty (" + std::to_string(scene.views.size()) +
                         " registered images; every 8th, from the first by name, is held out for val/test)");
  return parsed;
}

}  // namespace nerds::dataset_loaders
