#include "renderer/data/true_poses.h"

#include <filesystem>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds {

namespace fs = std::filesystem;
using namespace json_fields;

std::vector<Pose> load_true_poses(const Dataset& train) {
  const fs::path file_path = fs::path(train.root) / kTruePosesFile;
  std::error_code ec;
  if (train.format != "nerf_synthetic" || train.split != "train" || !fs::is_regular_file(file_path, ec)) return {};
  const std::string file = file_path.string();
  const nlohmann::json root = read_json_file(file);
  const nlohmann::json& frames = require_frames(root, file);
  if (frames.size() != train.frames.size())
    throw InputError(file, "frames",
                     std::to_string(frames.size()) + " frames, but transforms_train.json has " +
                         std::to_string(train.frames.size()) + " (one true pose per training frame, in its order)");
  std::vector<Pose> poses;
  for (size_t i = 0; i < frames.size(); ++i) {
    const std::string where = "frames[" + std::to_string(i) + "]";
    std::string image = require_string(frames[i], "file_path", file, where);
    if (image.size() < 4 || image.compare(image.size() - 4, 4, ".png") != 0) image += ".png";
    if ((fs::path(train.root) / image).lexically_normal() != fs::path(train.frames[i].image_path).lexically_normal())
      throw InputError(file, field_name(where, "file_path"),
                       "'" + image + "' is not training frame " + std::to_string(i) + "'s image (" +
                           train.frames[i].image_path + ")");
    poses.push_back(to_engine_frame(read_pose(frames[i], file, where), train.scale, train.offset));
  }
  return poses;
}

}  // namespace nerds
