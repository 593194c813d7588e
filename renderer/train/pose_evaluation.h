// Evaluating BARF's pose refinement (Lin et al. 2021, Sec. 5 and the official code's
// model/barf.py) where the training split has true poses (renderer/data/true_poses.h):
// - the training cameras' pose error: the estimated cameras (as given, and refined when
//   camera.pose_refine is on) are aligned to the true ones by the similarity transform that
//   best maps their centers onto the true centers (Umeyama 1991, least squares: BARF's
//   prealign_cameras, Procrustes on the centers); then per camera the rotation error (the angle
//   of R_aligned^T R_true, degrees) and the translation error (the distance of the aligned
//   center from the true one, in the dataset's world units), and their means;
// - the test views "after the paper's test-time pose alignment": the true test poses taken
//   into the model's frame by the inverse alignment, then each refined photometrically with
//   the model frozen (BARF's evaluate with optim.test_photo: 100 Adam steps on an se(3)
//   correction per test view at the pose learning rate), then rendered and scored as usual.
#pragma once

#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "renderer/data/dataset.h"
#include "renderer/math/vec3.h"

namespace nerds {

class Engine;

// p -> scale R p + t.
struct Similarity {
  double scale = 1.0;
  double R[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  double t[3] = {0, 0, 0};
  Vec3 apply(Vec3 p) const;
  // A camera-to-world pose moved by it: center mapped, axes rotated by R (scale drops out).
  Pose apply(const Pose& pose) const;
};

// The similarity that maps `from` onto `to` best in least squares (Umeyama 1991, with the
// reflection removed); at least 3 points not on one line. Throws std::invalid_argument on
// unequal counts or fewer than 3 points.
Similarity align_points(const std::vector<Vec3>& from, const std::vector<Vec3>& to);

struct PoseErrors {
  int cameras = 0;
  double rotation_deg = std::numeric_limits<double>::quiet_NaN();  // means over the cameras
  double translation = std::numeric_limits<double>::quiet_NaN();   // world units of the dataset
  std::vector<double> camera_rotation_deg, camera_translation;
};

// `estimated` aligned to `truth` (align_points on the centers), then the errors above;
// world_per_engine converts engine lengths to the dataset's world units (1 / Dataset::scale).
PoseErrors pose_errors(const std::vector<Pose>& estimated, const std::vector<Pose>& truth, double world_per_engine);

struct TrainingPoseReport {
  bool has_true_poses = false;  // false: nothing below was measured
  bool refined = false;         // camera.pose_refine was on
  PoseErrors before;            // the poses as the training split gives them
  PoseErrors after;             // refined (the same as before when not refined)
  nlohmann::json to_json() const;
};

// The engine's training cameras against its split's true poses.
TrainingPoseReport training_pose_report(const Engine& engine);

// The engine's current training poses: the split's, refined by the model's corrections when
// camera.pose_refine is on.
std::vector<Pose> estimated_training_poses(const Engine& engine);

// `test` (a split of the engine's dataset, loaded with its images) with its poses moved by
// the test-time alignment above (`steps` photometric steps; 0: the similarity alignment
// alone). The engine's split must have true poses (std::invalid_argument otherwise).
// BARF's test_iter (options/barf_blender.yaml).
constexpr int kTestPoseSteps = 100;
Dataset pose_aligned_test_split(const Engine& engine, const Dataset& test, int steps = kTestPoseSteps);

}  // namespace nerds
