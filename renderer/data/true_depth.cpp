#include "renderer/data/true_depth.h"

#include <cmath>
#include <filesystem>

#include "renderer/data/frame_file_paths.h"
#include "renderer/data/image_io.h"
#include "renderer/math/camera.h"

namespace nerds {

namespace {

namespace fs = std::filesystem;

// The depth map of one frame as engine-frame ray distances at the frame's image size.
TrueDepth frame_depth(const std::string& path, double depth_scale, const Frame& frame, float scene_scale) {
  TrueDepth out;
  const Image16 map = read_png16(path);
  const Intrinsics& k = frame.intrinsics;
  const int fx = frame_map_block(map.width, map.height, frame), fy = fx;
  if (fx == 0) return out;
  out.width = k.width;
  out.height = k.height;
  out.distance.assign(static_cast<size_t>(k.width) * k.height, 0.f);
  for (int y = 0; y < k.height; ++y)
    for (int x = 0; x < k.width; ++x) {
      double sum = 0.0;
      bool background = false;
      for (int by = 0; by < fy; ++by)
        for (int bx = 0; bx < fx; ++bx) {
          const uint16_t v = map.values[static_cast<size_t>(y * fy + by) * map.width + (x * fx + bx)];
          background = background || v == 0;
          sum += v;
        }
      if (background) continue;
      const double axial = sum / (fx * fy) / depth_scale;  // world units along the camera's -z
      // The ray through the pixel center has camera direction (x, y, -1): distance = axial * its length.
      const Vec3 d = pixel_to_camera_dir(k, x + 0.5f, y + 0.5f);
      out.distance[static_cast<size_t>(y) * k.width + x] = static_cast<float>(axial * length(d) * scene_scale);
    }
  return out;
}

}  // namespace

std::vector<TrueDepth> load_true_depth(const Dataset& data) {
  std::vector<TrueDepth> out(data.frames.size());
  double depth_scale = 0.0;
  const std::vector<std::string> paths = frame_file_paths(data, "depth_file_path", [&](const nlohmann::json& root) {
    if (root.contains("depth_scale") && root["depth_scale"].is_number()) depth_scale = root["depth_scale"].get<double>();
  });
  if (!(depth_scale > 0.0) || paths.size() != data.frames.size()) return out;
  for (size_t i = 0; i < out.size(); ++i)
    if (!paths[i].empty() && fs::is_regular_file(paths[i]))
      out[i] = frame_depth(paths[i], depth_scale, data.frames[i], data.scale);
  return out;
}

}  // namespace nerds
