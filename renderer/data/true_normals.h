// The true normals a generated scene writes per view (scenes/generator/nerf_synthetic_writer.h:
// each frame's "normal_file_path", an 8-bit RGB PNG of the world-frame unit normal n as
// (n + 1) / 2, black = background). The engine's frame differs from the world's by a scale and
// an offset only, so the normals are the engine's too. For the normals' mean angular error of
// `nerds eval` (Ref-NeRF's MAE; renderer/train/evaluate.h).
#pragma once

#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct TrueNormals {
  int width = 0, height = 0;
  std::vector<Vec3> normal;  // per pixel, row-major; zero where the view shows background
  bool empty() const { return normal.empty(); }
};

// One per frame of `data` (a NeRF-synthetic split): an empty TrueNormals for a frame without a
// normal file or whose image size is not the normal map's divided by a whole factor. A
// downscaled pixel takes its block's normalized mean, or zero when any of the block is
// background. Throws InputError naming the file for a normal map that cannot be read.
std::vector<TrueNormals> load_true_normals(const Dataset& data);

}  // namespace nerds
