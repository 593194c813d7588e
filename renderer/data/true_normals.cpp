#include "renderer/data/true_normals.h"

#include <filesystem>

#include "renderer/data/frame_file_paths.h"
#include "renderer/data/image_io.h"

namespace nerds {

namespace {

namespace fs = std::filesystem;

TrueNormals frame_normals(const std::string& path, const Frame& frame) {
  TrueNormals out;
  const Image8 map = read_image(path, 3);
  const Intrinsics& k = frame.intrinsics;
  const int fx = frame_map_block(map.width, map.height, frame), fy = fx;
  if (fx == 0) return out;
  out.width = k.width;
  out.height = k.height;
  out.normal.assign(static_cast<size_t>(k.width) * k.height, make_vec3(0.f, 0.f, 0.f));
  for (int y = 0; y < k.height; ++y)
    for (int x = 0; x < k.width; ++x) {
      Vec3 sum = make_vec3(0.f, 0.f, 0.f);
      bool background = false;
      for (int by = 0; by < fy; ++by)
        for (int bx = 0; bx < fx; ++bx) {
          const uint8_t* p = map.pixels.data() + 3 * (static_cast<size_t>(y * fy + by) * map.width + (x * fx + bx));
          background = background || (p[0] == 0 && p[1] == 0 && p[2] == 0);
          sum = sum + make_vec3(p[0] / 127.5f - 1.f, p[1] / 127.5f - 1.f, p[2] / 127.5f - 1.f);
        }
      const float len = length(sum);
      if (background || len < 1e-6f) continue;
      out.normal[static_cast<size_t>(y) * k.width + x] = sum * (1.f / len);
    }
  return out;
}

}  // namespace

std::vector<TrueNormals> load_true_normals(const Dataset& data) {
  std::vector<TrueNormals> out(data.frames.size());
  const std::vector<std::string> paths = frame_file_paths(data, "normal_file_path");
  if (paths.size() != data.frames.size()) return out;
  for (size_t i = 0; i < out.size(); ++i)
    if (!paths[i].empty() && fs::is_regular_file(paths[i])) out[i] = frame_normals(paths[i], data.frames[i]);
  return out;
}

}  // namespace nerds
