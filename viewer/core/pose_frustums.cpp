#include "viewer/core/pose_frustums.h"

#include "renderer/train/pose_evaluation.h"

namespace nerds::viewer {

CameraPoseSets camera_pose_sets(const Engine& engine) {
  CameraPoseSets s;
  const ParamSet& p = engine.params();
  if (!p.has("camera.pose_refine") || !p.get_bool("camera.pose_refine")) return s;
  const Dataset& train = engine.train_set();
  s.step = engine.stats().step;
  for (const Frame& f : train.frames) {
    s.noisy.push_back(f.pose);
    s.intrinsics.push_back(f.intrinsics);
  }
  s.refined = estimated_training_poses(engine);
  if (train.true_poses.size() == s.refined.size() && s.refined.size() >= 3) {
    std::vector<Vec3> from, to;
    for (size_t i = 0; i < s.refined.size(); ++i) {
      from.push_back(train.true_poses[i].origin());
      to.push_back(s.refined[i].origin());
    }
    const Similarity align = align_points(from, to);
    for (const Pose& t : train.true_poses) s.truth.push_back(align.apply(t));
  }
  return s;
}

PoseFrustumLines pose_frustum_lines(const CameraPoseSets& sets, float depth, const PoseFrustumColors& colors,
                                    Vec3 eye, float keep_out) {
  PoseFrustumLines out;
  const auto near_eye = [&](size_t i) {
    for (const std::vector<Pose>* set : {&sets.noisy, &sets.refined, &sets.truth})
      if (i < set->size() && length((*set)[i].origin() - eye) < keep_out) return true;
    return false;
  };
  const auto add = [&](LineSet& lines, const std::vector<Pose>& poses, LineColor c) {
    for (size_t i = 0; i < poses.size() && i < sets.intrinsics.size(); ++i)
      if (!near_eye(i)) add_frustum(lines, poses[i], sets.intrinsics[i], depth, c);
  };
  add(out.noisy, sets.noisy, colors.noisy);
  add(out.refined, sets.refined, colors.refined);
  add(out.truth, sets.truth, colors.truth);
  return out;
}

}  // namespace nerds::viewer
