// BARF's per-camera pose refinement settings (camera.pose_refine*; pose_refinement_module.cpp).
#pragma once

namespace nerds {

struct PoseRefineSettings {
  bool enabled = false;
  // The poses' own Adam learning rate, exponential from lr to lr_final over training (BARF's
  // official options/barf_blender.yaml: lr_pose 1e-3 to lr_pose_end 1e-5, ExponentialLR).
  float lr = 1e-3f, lr_final = 1e-5f;
};

// The schedule's rate at `progress` (the fraction of training done, clamped to [0, 1]).
float pose_refine_lr(const PoseRefineSettings& s, float progress);

}  // namespace nerds
