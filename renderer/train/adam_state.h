// Adam's first and second moments of every trainable parameter (Kingma & Ba 2015), kept
// beside the model for snapshots and resumed runs.
#pragma once

#include <vector>

#include <Eigen/Core>

namespace nerds {

struct AdamState {
  std::vector<float> grid_m, grid_v;
  std::vector<Eigen::MatrixXf> mlp_m, mlp_v;  // density layers then color layers
};

}  // namespace nerds
