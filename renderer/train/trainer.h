// One training run of the radiance field on the CPU backend: a step samples random pixels
// of the training images, marches their rays through the occupancy grid, runs the network
// forward, composites, takes the photometric loss, and back-propagates into the MLPs and the
// hash table, then applies Adam. A batch is a target number of samples the loss sees; the
// number of rays adapts to it step by step (Instant-NGP, Sec. 5.2).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "renderer/backend/nerf_network.h"
#include "renderer/backend/occupancy_grid.h"
#include "renderer/data/dataset.h"
#include "renderer/math/adam.h"
#include "renderer/math/training_ray.h"
#include "renderer/train/adam_state.h"
#include "renderer/train/device_trainer.h"
#include "renderer/train/step_stats.h"
#include "renderer/train/train_config.h"

namespace nerds {

// On the CUDA backend (use_cuda) the steps run on the GPU and the members below are the host
// copy of the model: the accessors bring it up to date first (a download after steps), and
// the mutable ones mark it as changed, so it is uploaded before the next step.
class Trainer {
 public:
  Trainer(const TrainConfig& config, std::shared_ptr<const Dataset> train_set, bool use_cuda = false);
  ~Trainer();

  StepStats step();
  int step_count() const { return step_; }
  const TrainConfig& config() const { return config_; }
  const NerfNetwork& network() const { sync_host(); return network_; }
  NerfNetwork& network() { sync_host(); upload_pending_ = true; return network_; }
  const OccupancyGrid& occupancy() const { sync_host(); return occupancy_; }
  OccupancyGrid& occupancy() { sync_host(); upload_pending_ = true; return occupancy_; }
  // Cheap on either backend (no download).
  size_t occupied_cell_count() const { return device_ && host_stale_ ? device_->occupied_cells() : occupancy_.occupied_count(); }
  // The GPU trainer when training runs on one (renders go there too), else null.
  // Its model is brought up to date with the host copy first.
  DeviceTrainer* device() const { sync_device(); return device_.get(); }
  TrainingImagesView images_view() const;
  const StageTimes& stage_times() const { return times_; }
  float current_lr() const;
  // Fraction of the training budget spent, in [0, 1], or negative when there is no budget;
  // set by the engine before each step, it selects the budget learning-rate schedule.
  void set_budget_progress(float progress) { budget_progress_ = progress; }
  // Replaces the settings while training (Engine::apply_params): only fields filled from
  // parameters declared needs_reset == false may differ from the current ones (the optimizer,
  // the learning-rate schedule, the loss, the training background); the engine checks that.
  // They are read afresh each step; the model, its Adam moments and the step count are kept.
  // On the CUDA backend the device trainer keeps its own copy of the settings, so it is remade
  // around the same model (downloaded here, uploaded before the next step).
  // If remaking it throws, nothing has changed.
  void set_live_config(const TrainConfig& config) {
    sync_host();
    if (device_) {
      std::unique_ptr<DeviceTrainer> fresh = make_cuda_trainer(config, network_.grid().view(), *data_);
      device_ = std::move(fresh);
      upload_pending_ = true;
    }
    config_ = config;
  }

  // Optimizer state, for snapshots.
  using AdamState = ::nerds::AdamState;
  AdamState& adam() { sync_host(); upload_pending_ = true; return adam_; }
  const AdamState& adam() const { sync_host(); return adam_; }
  void set_step_count(int step) { step_ = step; }
  float mean_used_per_ray() const { return ema_used_per_ray_; }
  void set_mean_used_per_ray(float v) { ema_used_per_ray_ = v; }
  float mean_marched_per_ray() const { return ema_marched_per_ray_; }
  void set_mean_marched_per_ray(float v) { ema_marched_per_ray_ = v; }

 private:
  struct ChunkResult;
  struct ThreadScratch;
  void process_chunk(int first_ray, int n_rays, ChunkResult& out, ThreadScratch& scratch);
  StepStats cpu_step(int n_rays);
  StepStats device_step(int n_rays);
  void sync_host() const;    // downloads the device's model when the host copy is stale
  void sync_device() const;  // uploads the host copy when it changed
  // Adam on the hash-table entries [begin, end) with a non-zero gradient; zeroes them.
  void update_grid_range(const AdamStep& step, size_t begin, size_t end);
  void apply_mlp_optimizer();

  TrainConfig config_;
  std::shared_ptr<const Dataset> data_;
  std::vector<Pose> poses_;
  std::vector<Intrinsics> intrinsics_;
  size_t total_pixels_ = 0;         // of the training images (fixed for the run)
  float loss_weight_scale_ = 1.f;   // Dataset::loss_weight_scale()
  // The model (mutable: on a device backend it is a cache that const accessors refresh).
  mutable NerfNetwork network_;
  mutable OccupancyGrid occupancy_;
  mutable AdamState adam_;
  std::unique_ptr<DeviceTrainer> device_;
  mutable bool host_stale_ = false;      // the device has trained past the host copy
  mutable bool upload_pending_ = false;  // the host copy changed: upload before the next step
  std::vector<float> grid_grad_;
  std::vector<std::unique_ptr<ChunkResult>> chunks_;
  std::vector<std::unique_ptr<ThreadScratch>> scratch_;
  int step_ = 0;
  float budget_progress_ = -1.f;
  float ema_used_per_ray_ = 64.f;
  float ema_marched_per_ray_ = 128.f;
  StageTimes times_;
};

}  // namespace nerds
