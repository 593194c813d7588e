#include "scenes/generator/nerf_synthetic_writer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "renderer/data/image_io.h"
#include "renderer/error.h"

namespace nerds::scenes {

double json_number(float v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", static_cast<double>(v));
  return std::strtod(text, nullptr);
}

std::string view_stem(int index) { return "r_" + std::to_string(index); }

void write_view_images(const std::string& split_dir, const std::string& stem_name, const RenderedView& view) {
  const std::string stem = split_dir + "/" + stem_name;
  const int width = view.rgba.width, height = view.rgba.height;
  write_png(stem + ".png", view.rgba);
  std::vector<uint16_t> depth(view.depth.size());
  for (size_t i = 0; i < depth.size(); ++i) {
    float value = std::round(view.depth[i] * kDepthScale);
    depth[i] = static_cast<uint16_t>(value < 0.f ? 0.f : (value > 65535.f ? 65535.f : value));
  }
  write_png16(stem + "_depth.png", width, height, depth);
  Image8 normals;
  normals.width = width;
  normals.height = height;
  normals.channels = 3;
  normals.pixels.assign(static_cast<size_t>(width) * height * 3, 0);
  for (size_t i = 0; i < view.normals.size(); ++i) {
    const Vec3 n = view.normals[i];
    if (n.x == 0.f && n.y == 0.f && n.z == 0.f) continue;  // background stays black
    for (int c = 0; c < 3; ++c) normals.pixels[i * 3 + c] = to_u8(0.5f * n[c] + 0.5f);
  }
  write_png(stem + "_normal.png", normals);
}

void write_view_images(const std::string& split_dir, int index, const RenderedView& view) {
  write_view_images(split_dir, view_stem(index), view);
}

void write_transforms_file(const std::string& path, float camera_angle_x, const std::vector<FrameRecord>& frames,
                           const nlohmann::json& extra) {
  nlohmann::json list = nlohmann::json::array();
  for (const FrameRecord& record : frames) {
    nlohmann::json matrix = nlohmann::json::array();
    for (int r = 0; r < 3; ++r) {
      matrix.push_back({json_number(record.pose.m[r][0]), json_number(record.pose.m[r][1]),
                        json_number(record.pose.m[r][2]), json_number(record.pose.m[r][3])});
    }
    matrix.push_back({0.0, 0.0, 0.0, 1.0});
    nlohmann::json frame = {{"file_path", record.stem},
                            {"depth_file_path", record.stem + "_depth"},
                            {"normal_file_path", record.stem + "_normal"},
                            {"transform_matrix", matrix}};
    for (auto it = record.extra.begin(); it != record.extra.end(); ++it) frame[it.key()] = it.value();
    list.push_back(frame);
  }
  nlohmann::json doc = {
      {"camera_angle_x", json_number(camera_angle_x)},
      {"depth_scale", json_number(kDepthScale)},
      {"depth_encoding", "16-bit PNG: axial depth (along the camera's -z) * depth_scale; 0 = background"},
      {"normal_encoding", "8-bit RGB PNG: world-frame unit normal n as (n + 1) / 2; black = background"}};
  for (auto it = extra.begin(); it != extra.end(); ++it) doc[it.key()] = it.value();
  doc["frames"] = list;
  std::ofstream out(path, std::ios::binary);
  out << doc.dump(2) << "\n";
  if (!out) throw InputError(path, "", "cannot write the file");
}

}  // namespace nerds::scenes
