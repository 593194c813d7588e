#include "renderer/train/pose_evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include <Eigen/Dense>

#include "renderer/backend/cpu_backend.h"
#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/train/trainer.h"

namespace nerds {

namespace {

constexpr double kPi = 3.14159265358979323846;

Eigen::Vector3d to_eigen(Vec3 p) { return Eigen::Vector3d(p.x, p.y, p.z); }

Eigen::Matrix3d rotation_of(const Pose& p) {
  Eigen::Matrix3d R;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) R(i, j) = p.m[i][j];
  return R;
}

std::vector<Vec3> centers(const std::vector<Pose>& poses) {
  std::vector<Vec3> out;
  for (const Pose& p : poses) out.push_back(p.origin());
  return out;
}

// The angle of the rotation M = R_a^T R_b, degrees: atan2(|axis part|, cos part), precise for
// small angles too (acos of the trace is not).
double rotation_angle_deg(const Eigen::Matrix3d& a, const Eigen::Matrix3d& b) {
  const Eigen::Matrix3d M = a.transpose() * b;
  const double s = 0.5 * Eigen::Vector3d(M(2, 1) - M(1, 2), M(0, 2) - M(2, 0), M(1, 0) - M(0, 1)).norm();
  const double c = (M.trace() - 1.0) / 2.0;
  return std::atan2(s, c) * 180.0 / kPi;
}

}  // namespace

Vec3 Similarity::apply(Vec3 p) const {
  double q[3];
  for (int i = 0; i < 3; ++i) q[i] = scale * (R[i][0] * p.x + R[i][1] * p.y + R[i][2] * p.z) + t[i];
  return make_vec3(static_cast<float>(q[0]), static_cast<float>(q[1]), static_cast<float>(q[2]));
}

Pose Similarity::apply(const Pose& pose) const {
  Pose out;
  const Vec3 c = apply(pose.origin());
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j)
      out.m[i][j] = static_cast<float>(R[i][0] * pose.m[0][j] + R[i][1] * pose.m[1][j] + R[i][2] * pose.m[2][j]);
    out.m[i][3] = c[i];
  }
  return out;
}

Similarity align_points(const std::vector<Vec3>& from, const std::vector<Vec3>& to) {
  if (from.size() != to.size() || from.size() < 3)
    throw std::invalid_argument("align_points: needs the same number (at least 3) of points on both sides");
  const double n = static_cast<double>(from.size());
  Eigen::Vector3d mx = Eigen::Vector3d::Zero(), my = Eigen::Vector3d::Zero();
  for (size_t i = 0; i < from.size(); ++i) {
    mx += to_eigen(from[i]);
    my += to_eigen(to[i]);
  }
  mx /= n;
  my /= n;
  double var_x = 0.0;
  Eigen::Matrix3d cov = Eigen::Matrix3d::Zero();  // (1/n) sum (y - my)(x - mx)^T
  for (size_t i = 0; i < from.size(); ++i) {
    const Eigen::Vector3d x = to_eigen(from[i]) - mx, y = to_eigen(to[i]) - my;
    var_x += x.squaredNorm();
    cov += y * x.transpose();
  }
  var_x /= n;
  cov /= n;
  const Eigen::JacobiSVD<Eigen::Matrix3d> svd(cov, Eigen::ComputeFullU | Eigen::ComputeFullV);
  Eigen::Matrix3d S = Eigen::Matrix3d::Identity();
  if (svd.matrixU().determinant() * svd.matrixV().determinant() < 0.0) S(2, 2) = -1.0;  // no reflection
  const Eigen::Matrix3d R = svd.matrixU() * S * svd.matrixV().transpose();
  Similarity sim;
  sim.scale = var_x > 0.0 ? (svd.singularValues().asDiagonal() * S).trace() / var_x : 1.0;
  const Eigen::Vector3d t = my - sim.scale * R * mx;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) sim.R[i][j] = R(i, j);
    sim.t[i] = t(i);
  }
  return sim;
}

PoseErrors pose_errors(const std::vector<Pose>& estimated, const std::vector<Pose>& truth, double world_per_engine) {
  if (estimated.size() != truth.size())
    throw std::invalid_argument("pose_errors: " + std::to_string(estimated.size()) + " estimated poses for " +
                                std::to_string(truth.size()) + " true ones");
  const Similarity sim = align_points(centers(estimated), centers(truth));
  PoseErrors e;
  e.cameras = static_cast<int>(truth.size());
  double rot = 0.0, trans = 0.0;
  for (size_t i = 0; i < truth.size(); ++i) {
    const Pose aligned = sim.apply(estimated[i]);
    const double r = rotation_angle_deg(rotation_of(aligned), rotation_of(truth[i]));
    const double d = static_cast<double>(length(aligned.origin() - truth[i].origin())) * world_per_engine;
    e.camera_rotation_deg.push_back(r);
    e.camera_translation.push_back(d);
    rot += r;
    trans += d;
  }
  e.rotation_deg = rot / e.cameras;
  e.translation = trans / e.cameras;
  return e;
}

std::vector<Pose> estimated_training_poses(const Engine& engine) {
  std::vector<Pose> poses;
  for (const Frame& f : engine.train_set().frames) poses.push_back(f.pose);
  const PoseRefinement& refine = engine.trainer().pose_refinement();
  return refine.empty() ? poses : refine.refined(poses);
}

TrainingPoseReport training_pose_report(const Engine& engine) {
  TrainingPoseReport r;
  const Dataset& train = engine.train_set();
  if (train.true_poses.empty()) return r;
  r.has_true_poses = true;
  r.refined = !engine.trainer().pose_refinement().empty();
  std::vector<Pose> given;
  for (const Frame& f : train.frames) given.push_back(f.pose);
  const double world_per_engine = 1.0 / train.scale;
  r.before = pose_errors(given, train.true_poses, world_per_engine);
  r.after = r.refined ? pose_errors(estimated_training_poses(engine), train.true_poses, world_per_engine) : r.before;
  return r;
}

nlohmann::json TrainingPoseReport::to_json() const {
  const auto errors = [](const PoseErrors& e) {
    return nlohmann::json{{"rotation_deg", e.rotation_deg}, {"translation", e.translation}, {"cameras", e.cameras}};
  };
  return {{"refined", refined},
          {"before", errors(before)},
          {"after", errors(after)},
          {"protocol",
           "training cameras aligned to transforms_train_true.json by the similarity (Umeyama) that maps their "
           "centers onto the true centers; rotation error = angle of R_aligned^T R_true (degrees), translation "
           "error = distance of the aligned center from the true one (world units); means over the cameras"}};
}

Dataset pose_aligned_test_split(const Engine& engine, const Dataset& test, int steps) {
  const Dataset& train = engine.train_set();
  if (train.true_poses.empty())
    throw std::invalid_argument("pose_aligned_test_split: the training split has no true poses");
  // The true frame -> the model's frame, from the training cameras (BARF: prealign_cameras).
  const Similarity sim = align_points(centers(train.true_poses), centers(estimated_training_poses(engine)));
  Dataset aligned = test;
  for (Frame& f : aligned.frames) f.pose = sim.apply(f.pose);
  const TrainConfig& trained = engine.trainer().config();
  // The photometric part needs the rays' gradient: a point encoding with dL/dpos, no warp.
  if (steps <= 0 || trained.warp.kind != WarpKind::None || !engine.trainer().network().encoding().position_gradient())
    return aligned;

  // A frozen copy of the model with one se(3) correction per test view, trained alone (lr 0
  // for the field; the occupancy grid is not updated: steps start at 1, the interval never comes).
  const Trainer& trainer = engine.trainer();
  TrainConfig config = trainer.config();
  config.pose_refine.enabled = true;
  config.occupancy.interval = std::numeric_limits<int>::max();
  auto data = std::make_shared<const Dataset>(aligned);
  HostModel model;
  model.network = NerfNetwork(config.network);
  std::vector<ParamTensor> to = model.network.param_tensors();
  for (const ParamTensor& from : trainer.param_tensors()) {
    const int k = find_tensor(to, from.name);
    if (k >= 0) std::copy(from.values, from.values + from.size(), to[k].values);
  }
  model.occupancy = OccupancyGrid(config.occupancy);
  model.occupancy.values() = trainer.occupancy().values();
  model.occupancy.rebuild_bits();
  model.pose_refine = PoseRefinement(static_cast<int>(aligned.frames.size()));
  model.moments = zero_moments(model.param_tensors());
  CpuBackend backend(config, data, model);
  StepRequest request;
  request.lr = 0.f;
  request.progress = 1.f;
  request.pose_lr = config.pose_refine.lr;
  request.mean_marched_per_ray = trainer.mean_marched_per_ray();
  request.n_rays = std::clamp(static_cast<int>(config.batch_samples / std::max(trainer.mean_used_per_ray(), 1.f)), 1,
                              config.batch_samples);
  for (int s = 1; s <= steps; ++s) {
    request.step = s;
    backend.step(request);
  }
  std::vector<Pose> given;
  for (const Frame& f : aligned.frames) given.push_back(f.pose);
  const std::vector<Pose> refined = model.pose_refine.refined(given);
  for (size_t i = 0; i < aligned.frames.size(); ++i) aligned.frames[i].pose = refined[i];
  return aligned;
}

}  // namespace nerds
