// One training run of the radiance field, on any backend (training_backend.h): the Trainer
// keeps what every backend shares: the learning-rate schedule, the batch shape (a batch is a
// target number of samples the loss sees; the number of rays follows the running mean of
// samples per ray, Instant-NGP Sec. 5.4), the budget, the step count, and the host copy of the
// model (host_model.h) that snapshots, the ray inspector and point queries read. The backend
// takes the steps: the CPU backend trains the host copy in place; the CUDA backend trains its
// own copy, which the accessors below bring back first (a download after steps), while the
// mutable ones mark the host copy as changed, so it is uploaded before the next step.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "renderer/model/host_model.h"
#include "renderer/backend/training_backend.h"
#include "renderer/data/dataset.h"
#include "renderer/model/param_tensor.h"
#include "renderer/train/step_stats.h"
#include "renderer/train/train_config.h"
#include "renderer/train/training_watch.h"

namespace nerds {

class Trainer {
 public:
  // use_cuda: train on the CUDA backend, which must support `config` (cuda_backend_supports;
  // std::invalid_argument otherwise) and have a device (std::runtime_error otherwise).
  Trainer(const TrainConfig& config, std::shared_ptr<const Dataset> train_set, bool use_cuda = false);
  ~Trainer();

  // One step of the backend. Throws TrainingFailure (training_watch.h) when its loss is not
  // finite, or when the steps have used no sample for too long: such a run cannot learn.
  StepStats step();
  int step_count() const { return step_; }
  const TrainConfig& config() const { return config_; }
  const NerfNetwork& network() const { sync_host(); return model_.network; }
  NerfNetwork& network() { sync_host(); mark_changed(); return model_.network; }
  const OccupancyGrid& occupancy() const { sync_host(); return model_.occupancy; }
  OccupancyGrid& occupancy() { sync_host(); mark_changed(); return model_.occupancy; }
  // The model's trained tensors (views of the host copy) and their Adam moments, in the
  // list's order: what snapshots save and load. The const overloads are for reading only.
  std::vector<ParamTensor> param_tensors() const { sync_host(); return model_.param_tensors(); }
  std::vector<ParamTensor> param_tensors() { sync_host(); mark_changed(); return model_.param_tensors(); }
  const std::vector<AdamMoments>& moments() const { sync_host(); return model_.moments; }
  std::vector<AdamMoments>& moments() { sync_host(); mark_changed(); return model_.moments; }
  // Cheap on every backend (no download).
  size_t occupied_cell_count() const { return host_stale_ ? backend_->occupied_cells() : model_.occupancy.occupied_count(); }
  // The backend (renders go there), its model brought up to date with the host copy first.
  TrainingBackend& backend() const { sync_device(); return *backend_; }
  // The backend's optimizer restarts (its own state, not the model's: no upload needed).
  RestartState optimizer_restarts() const { return backend_->optimizer_restarts(); }
  const StageTimes& stage_times() const { return times_; }
  float current_lr() const;
  // The fraction of training done, in [0, 1]: the budget's progress, or without a budget the
  // steps over a fixed count (BARF's coarse-to-fine and pose schedules read it).
  float training_progress() const;
  // BARF's pose corrections (empty unless camera.pose_refine), on the host copy.
  const PoseRefinement& pose_refinement() const { sync_host(); return model_.pose_refine; }
  // Fraction of the training budget spent, in [0, 1], or negative when there is no budget;
  // set by the engine before each step, it selects the budget learning-rate schedule.
  void set_budget_progress(float progress) { budget_progress_ = progress; }
  // Replaces the settings while training (Engine::apply_params): only fields filled from
  // parameters declared needs_reset == false may differ from the current ones (the optimizer,
  // the learning-rate schedule, the loss, the training background); the engine checks that.
  // The model, its Adam moments and the step count are kept.
  void set_live_config(const TrainConfig& config) {
    backend_->set_live_config(config);
    config_ = config;
  }

  void set_step_count(int step) { step_ = step; }
  // Takes the tensor shapes a snapshot describes before its values are read: an explicit
  // grid resized during training (TensoRF's upsampling) resizes to them, its moments with it.
  void adopt_tensor_shapes(const std::vector<ParamTensorInfo>& described) {
    sync_host();
    mark_changed();
    model_.network.encoding().adopt_shapes(described);
    model_.fit_moments();
  }
  float mean_used_per_ray() const { return ema_used_per_ray_; }
  void set_mean_used_per_ray(float v) { ema_used_per_ray_ = v; }
  float mean_marched_per_ray() const { return ema_marched_per_ray_; }
  void set_mean_marched_per_ray(float v) { ema_marched_per_ray_ = v; }

 private:
  void sync_host() const;    // downloads the backend's model when the host copy is stale
  void sync_device() const;  // uploads the host copy when it changed
  void mark_changed() { upload_pending_ = !backend_->trains_host_model(); }

  TrainConfig config_;
  std::shared_ptr<const Dataset> data_;
  mutable HostModel model_;  // mutable: on a backend with its own model, a cache the const accessors refresh
  std::unique_ptr<TrainingBackend> backend_;
  mutable bool host_stale_ = false;      // the backend has trained past the host copy
  mutable bool upload_pending_ = false;  // the host copy changed: upload before the next step
  int step_ = 0;
  float budget_progress_ = -1.f;
  float ema_used_per_ray_ = 64.f;
  float ema_marched_per_ray_ = 128.f;
  StageTimes times_;
  TrainingWatch watch_;
};

}  // namespace nerds
