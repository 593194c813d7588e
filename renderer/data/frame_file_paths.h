// The per-frame files a generated scene writes beside its images (scenes/generator/
// nerf_synthetic_writer.h: "depth_file_path", "normal_file_path"), as paths, one per frame of a
// loaded NeRF-synthetic split: true_depth.h and true_normals.h read them.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"

namespace nerds {

// One path per frame of `data` (a NeRF-synthetic split; "all" reads train, val and test in
// turn) from each frame's string field `key` (".png" added when it has no extension), empty for
// a frame without one; empty when `data` is of another format or a transforms file is missing.
// on_file (may be empty) sees each transforms file's root object as it is read.
std::vector<std::string> frame_file_paths(const Dataset& data, const char* key,
                                          const std::function<void(const nlohmann::json&)>& on_file = {});

// How many map pixels per frame pixel along each axis a per-frame map of width x height holds
// for `frame` (the map is written at full size, the frame may be downscaled): the whole factor,
// 0 when the sizes are not one whole, equal factor apart (the map is then not used).
inline int frame_map_block(int width, int height, const Frame& frame) {
  const Intrinsics& k = frame.intrinsics;
  if (k.width < 1 || k.height < 1 || width % k.width != 0 || height % k.height != 0) return 0;
  const int fx = width / k.width, fy = height / k.height;
  return fx == fy ? fx : 0;
}

}  // namespace nerds
