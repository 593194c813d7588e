// BARF's pose corrections (Lin et al. 2021, Sec. 4): one se(3) 6-vector per training camera
// (renderer/math/se3.h: w then u, the refined camera-to-world pose P exp(xi)), zero at the
// start, trained with the field under their own learning rate. One named tensor,
// "camera.pose_refine.se3" [cameras, 6], in the model's list, so snapshots save and restore
// it and the optimizer keeps its moments; the backend updates it with the pose schedule
// (PoseRefineSettings), not the field's.
#pragma once

#include <string>
#include <vector>

#include "renderer/math/se3.h"
#include "renderer/math/vec3.h"
#include "renderer/model/param_tensor.h"

namespace nerds {

constexpr const char kPoseRefineTensor[] = "camera.pose_refine.se3";

class PoseRefinement {
 public:
  PoseRefinement() = default;
  explicit PoseRefinement(int cameras) : se3_(static_cast<size_t>(cameras) * 6, 0.f) {}

  int cameras() const { return static_cast<int>(se3_.size() / 6); }
  bool empty() const { return se3_.empty(); }
  const float* se3(int camera) const { return se3_.data() + 6 * static_cast<size_t>(camera); }
  float* se3(int camera) { return se3_.data() + 6 * static_cast<size_t>(camera); }
  // The tensor (none when there are no cameras: pose refinement off).
  std::vector<ParamTensor> param_tensors();
  // Camera i's refined pose P_i exp(xi_i).
  std::vector<Pose> refined(const std::vector<Pose>& poses) const;

 private:
  std::vector<float> se3_;
};

}  // namespace nerds
