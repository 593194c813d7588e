// BARF's cameras in the view (Lin et al. 2021, Fig. 5 and 7: initial, optimized and true
// poses): the training cameras as the dataset gives them (noisy), as the model's pose
// corrections refine them, and their true poses (transforms_train_true.json beside the
// dataset's transforms, when present). As BARF's plots do, the true cameras are carried into
// the model's frame by the similarity that best maps their centers onto the refined ones
// (align_points, Umeyama), so the three sets line up where refinement worked.
#pragma once

#include <vector>

#include "renderer/engine.h"
#include "viewer/core/overlay_geometry.h"

namespace nerds::viewer {

struct CameraPoseSets {
  int step = -1;                   // the model step of `refined`
  std::vector<Pose> noisy;         // as the training split gives them
  std::vector<Pose> refined;       // the model's current poses (camera.pose_refine)
  std::vector<Pose> truth;         // aligned to `refined`; empty without true poses
  std::vector<Intrinsics> intrinsics;
};

// The engine's three sets; empty (no cameras) unless camera.pose_refine is on.
CameraPoseSets camera_pose_sets(const Engine& engine);

struct PoseFrustumColors {
  LineColor noisy{255, 96, 64, 255};     // red-orange: where training started
  LineColor refined{64, 220, 96, 255};   // green: where the model has them now
  LineColor truth{80, 150, 255, 255};    // blue: where they truly are
};

// One line set per camera set (frustums `depth` long, add_frustum). A camera any of whose three
// poses lies within `keep_out` of `eye` is left out of all three (the view looks through it, or
// next to it: its frustums would fill the view).
struct PoseFrustumLines {
  LineSet noisy, refined, truth;
};
PoseFrustumLines pose_frustum_lines(const CameraPoseSets& sets, float depth, const PoseFrustumColors& colors = {},
                                    Vec3 eye = make_vec3(0.f, 0.f, 0.f), float keep_out = 0.f);

}  // namespace nerds::viewer
