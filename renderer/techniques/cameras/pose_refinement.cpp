#include "renderer/techniques/cameras/pose_refinement.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "renderer/techniques/cameras/pose_refine_settings.h"

namespace nerds {

std::vector<ParamTensor> PoseRefinement::param_tensors() {
  if (se3_.empty()) return {};
  ParamTensor t;
  t.name = kPoseRefineTensor;
  t.shape = {cameras(), 6};
  t.group = ParamGroup::Dense;  // every camera's correction moves (the backend's own Adam step, no decay)
  t.values = se3_.data();
  return {t};
}

std::vector<Pose> PoseRefinement::refined(const std::vector<Pose>& poses) const {
  if (static_cast<int>(poses.size()) != cameras())
    throw std::invalid_argument("PoseRefinement::refined: " + std::to_string(poses.size()) + " poses for " +
                                std::to_string(cameras()) + " corrections");
  std::vector<Pose> out;
  for (int i = 0; i < cameras(); ++i) out.push_back(refined_pose(poses[i], se3(i)));
  return out;
}

float pose_refine_lr(const PoseRefineSettings& s, float progress) {
  const float p = std::clamp(progress, 0.f, 1.f);
  if (s.lr <= 0.f || s.lr_final <= 0.f) return s.lr * (1.f - p);
  return s.lr * std::pow(s.lr_final / s.lr, p);
}

}  // namespace nerds
