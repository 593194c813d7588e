// DVGO's masking of the voxels between the cameras and their near planes (Sun, Sun, Chen,
// CVPR 2022; the official code's maskout_near_cam_vox, on in its coarse stage): a voxel
// closer to some training camera's centre than the near plane can hold nothing the camera
// sees, but a free grid may fill it with a floater that explains the view from just in front
// of the lens.
#pragma once

#include <vector>

#include "renderer/data/dataset.h"

namespace nerds {

// One value per node (x fastest) of an n^3 grid spanning the scene box of side box_side
// centred at 0.5 (the engine's frame): 1 where the node lies within near_clip (engine units)
// of a training camera's centre, else 0.
std::vector<float> dvgo_near_camera_nodes(const Dataset& data, int n, float box_side, float near_clip);

}  // namespace nerds
