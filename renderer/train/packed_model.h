// The model as flat arrays (PackedModel) and back: how the Trainer hands its network,
// occupancy grid and Adam moments to a device backend.
#pragma once

#include "renderer/backend/nerf_network.h"
#include "renderer/backend/occupancy_grid.h"
#include "renderer/train/adam_state.h"
#include "renderer/train/device_trainer.h"

namespace nerds {

// Adam's moments for a fresh run of `network`: zero, shaped like its parameters.
AdamState zero_adam_state(const NerfNetwork& network);
// Matrices (Eigen, column-major) one after the other, each row-major (outputs x inputs): the
// layout of PackedMlp's arrays.
std::vector<float> pack_matrices(const std::vector<Eigen::MatrixXf>& ms);

PackedModel pack_model(const NerfNetwork& network, const OccupancyGrid& occupancy, const AdamState& adam);
// Writes `model` back; its arrays must have the sizes pack_model gives for these objects.
void unpack_model(const PackedModel& model, NerfNetwork& network, OccupancyGrid& occupancy, AdamState& adam);

}  // namespace nerds
