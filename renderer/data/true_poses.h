// The true camera poses of a training split whose written poses are perturbed (the
// `noisy-poses` sample scene: DIR/transforms_train_true.json beside transforms_train.json, the
// same frames in the same order), for measuring pose refinement (BARF) against them.
#pragma once

#include <string>
#include <vector>

#include "renderer/data/dataset.h"

namespace nerds {

constexpr const char kTruePosesFile[] = "transforms_train_true.json";

// The true pose of every frame of `train` (a NeRF-synthetic train split), in the engine's
// frame (the split's scale and offset), or none when the folder has no transforms_train_true.json.
// A malformed file, another frame count, or a frame whose file_path differs is an InputError
// naming the file and the field.
std::vector<Pose> load_true_poses(const Dataset& train);

}  // namespace nerds
