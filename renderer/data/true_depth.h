// The true depth a generated scene writes per view (scenes/generator/nerf_synthetic_writer.h:
// transforms_<split>.json's "depth_scale" and each frame's "depth_file_path", a 16-bit PNG of
// axial depth (along the camera's -z, world units) * depth_scale, 0 = background), turned
// into what the engine renders: each pixel's distance from the camera along its ray in the
// engine's frame (world distance * the dataset's scale). For the floater measure of `nerds
// eval` (renderer/train/evaluate.h).
#pragma once

#include <vector>

#include "renderer/data/dataset.h"

namespace nerds {

struct TrueDepth {
  int width = 0, height = 0;
  std::vector<float> distance;  // per pixel, row-major; 0 where the view shows background
  bool empty() const { return distance.empty(); }
};

// One per frame of `data` (a NeRF-synthetic split as Engine::load_split loads it, downscaled
// or not): an empty TrueDepth for a frame without a depth file or whose image size is not its
// depth map's divided by a whole factor; all empty when the split gives no depth_scale (any
// other format). A downscaled pixel takes its block's mean distance, or 0 when any of the block
// is background. Throws InputError naming the file for a depth map that cannot be read.
std::vector<TrueDepth> load_true_depth(const Dataset& data);

}  // namespace nerds
