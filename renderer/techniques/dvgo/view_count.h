// DVGO's view-count-based learning rate (Sun, Sun, Chen, CVPR 2022, Sec. 5.1, "the voxels
// seen by fewer training views get a lower learning rate"; the code's voxel_count_views and
// set_pervoxel_lr): per node of an n^3 grid over the scene box, the number of training views
// whose rays reach it (a view counts where its rays' trilinear weights on the node sum above
// 1), over the largest such number.
#pragma once

#include <vector>

#include "renderer/data/dataset.h"

namespace nerds {

// One value in [0, 1] per node (x fastest) of an n^3 grid spanning the scene box of side
// box_side centred at 0.5 (the engine's frame), from samples every step_voxels of a voxel
// (box_side / n) along the rays of every frame; at most max_rays_per_axis rays per image
// axis (a stride on larger images, each ray's weight times the stride squared). views, when
// given, receives each node's number of views itself (before the division by the largest).
std::vector<float> dvgo_view_counts(const Dataset& data, int n, float box_side, float step_voxels,
                                    int max_rays_per_axis = 64, std::vector<float>* views = nullptr);

}  // namespace nerds
