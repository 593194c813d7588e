// Which views a scene is made of: the cameras of each split (train, val, test) and, for the
// training views, the per-view variations of the scene's description (exposure, light
// changes, transient occluders, pose noise). Planning draws every random number, so the
// rendering that follows is a pure function of the plan.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "renderer/math/vec3.h"
#include "scenes/generator/scene.h"
#include "scenes/generator/scene_description.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::scenes {

struct Transient {
  bool is_box = false;  // else a sphere
  Vec3 center;
  float size = 0.f;  // sphere radius or half the box's side
  Vec3 srgb;         // its matte color
};

struct PlannedView {
  Pose pose;          // the camera the image is rendered from
  Pose written_pose;  // the camera written into transforms_<split>.json (noisy or = pose)
  float exposure = 1.f;
  float light_scale = 1.f;
  float light_tint = 0.f;  // > 0 warmer, < 0 cooler
  std::vector<Transient> transients;
  uint64_t seed = 0;  // the view's anti-aliasing jitter stream
};

struct PlannedSplit {
  std::string name;  // train, val or test
  std::vector<PlannedView> views;
};

// The three splits. Train views get the description's variations; val and test views are
// clean. `train_views` is the count after the description's max_train cap.
std::vector<PlannedSplit> plan_views(const SceneDescription& description, const SceneOptions& options, int train_views);

// `base` as this view sees it: lights scaled and tinted, transients added (and prepared).
Scene scene_for_view(const Scene& base, const PlannedView& view);

// The camera-to-world pose after a rotation by the rotation vector `rotation` (radians, in
// the camera's frame) and a shift by `translation` (world frame).
Pose perturb_pose(const Pose& pose, Vec3 rotation, Vec3 translation);

}  // namespace nerds::scenes
