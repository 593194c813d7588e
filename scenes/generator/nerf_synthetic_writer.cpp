#include "scenes/generator/nerf_synthetic_writer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "renderer/data/image_io.h"
#include "renderer/error.h"

namespace nerds::scenes {

namespace {

// The float's shortest round-trip text as a double, so the JSON shows 0.25 and not
// 0.25000000372529.
double json_number(float v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", static_cast<double>(v));
  return std::strtod(text, nullptr);
}

}  // namespace

std::string view_stem(int index) { return "r_" + std::to_string(index); }

void write_view_images(const std::string& split_dir, int index, const RenderedView& view) {
  const std::string stem = split_dir + "/" + view_stem(index);
  write_png(stem + ".png", view.rgba);
  std::vector<uint16_t> depth(view.depth.size());
  for (size_t i = 0; i < depth.size(); ++i) {
    float value = std::round(view.depth[i] * kDepthScale);
    depth[i] = static_cast<uint16_t>(value < 0.f ? 0.f : (value > 65535.f ? 65535.f : value));
  }
  write_png16(stem + "_depth.png", view.rgba.width, view.rgba.height, depth);
}

void write_transforms_json(const std::string& out_dir, const std::string& split, float camera_angle_x,
                           const std::vector<Pose>& poses) {
  nlohmann::json frames = nlohmann::json::array();
  for (size_t i = 0; i < poses.size(); ++i) {
    nlohmann::json matrix = nlohmann::json::array();
    for (int r = 0; r < 3; ++r) {
      matrix.push_back({json_number(poses[i].m[r][0]), json_number(poses[i].m[r][1]),
                        json_number(poses[i].m[r][2]), json_number(poses[i].m[r][3])});
    }
    matrix.push_back({0.0, 0.0, 0.0, 1.0});
    const std::string file = "./" + split + "/" + view_stem(static_cast<int>(i));
    frames.push_back({{"file_path", file}, {"depth_file_path", file + "_depth"}, {"transform_matrix", matrix}});
  }
  nlohmann::json doc = {{"camera_angle_x", json_number(camera_angle_x)},
                        {"depth_scale", json_number(kDepthScale)},
                        {"frames", frames}};
  const std::string path = out_dir + "/transforms_" + split + ".json";
  std::ofstream out(path, std::ios::binary);
  out << doc.dump(2) << "\n";
  if (!out) throw InputError(path, "", "cannot write the file");
}

}  // namespace nerds::scenes
