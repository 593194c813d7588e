#include "renderer/data/frame_file_paths.h"

#include <filesystem>

#include "renderer/data/json_fields.h"

namespace nerds {

namespace fs = std::filesystem;

std::vector<std::string> frame_file_paths(const Dataset& data, const char* key,
                                          const std::function<void(const nlohmann::json&)>& on_file) {
  std::vector<std::string> paths;
  if (data.format != "nerf_synthetic") return paths;
  std::vector<std::string> splits = {data.split};
  if (data.split == "all") splits = {"train", "val", "test"};
  for (const std::string& split : splits) {
    const std::string file = (fs::path(data.root) / ("transforms_" + split + ".json")).string();
    if (!fs::is_regular_file(file)) continue;
    const nlohmann::json root = json_fields::read_json_file(file);
    if (on_file) on_file(root);
    if (!root.contains("frames") || !root["frames"].is_array()) continue;
    for (const nlohmann::json& frame : root["frames"]) {
      std::string path;
      if (frame.contains(key) && frame[key].is_string()) {
        path = frame[key].get<std::string>();
        if (fs::path(path).extension() != ".png") path += ".png";
        path = (fs::path(data.root) / path).lexically_normal().string();
      }
      paths.push_back(path);
    }
  }
  return paths;
}

}  // namespace nerds
