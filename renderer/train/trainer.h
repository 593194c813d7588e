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
#include "renderer/train/train_config.h"

namespace nerds {

struct StepStats {
  int step = 0;               // the step just taken (1-based count after it)
  int rays = 0;
  int64_t marched_samples = 0;  // evaluated by the forward pass
  int64_t used_samples = 0;     // seen by the loss (after early termination): forward + backward
  double loss = 0.0;            // mean over rays and channels
  double seconds = 0.0;         // wall time of the step
};

struct StageTimes {  // cumulative seconds per stage, for profiles
  double occupancy = 0, march_forward_backward = 0;
  double hash_backward = 0;  // scatter into the table and the table's Adam update
  double optimizer = 0;      // MLP Adam and gradient reduction
};

class Trainer {
 public:
  Trainer(const TrainConfig& config, std::shared_ptr<const Dataset> train_set);
  ~Trainer();

  StepStats step();
  int step_count() const { return step_; }
  const TrainConfig& config() const { return config_; }
  const NerfNetwork& network() const { return network_; }
  NerfNetwork& network() { return network_; }
  const OccupancyGrid& occupancy() const { return occupancy_; }
  OccupancyGrid& occupancy() { return occupancy_; }
  const StageTimes& stage_times() const { return times_; }
  float current_lr() const;
  // Fraction of the training budget spent, in [0, 1], or negative when there is no budget;
  // set by the engine before each step, it selects the budget learning-rate schedule.
  void set_budget_progress(float progress) { budget_progress_ = progress; }

  // Optimizer state, for snapshots.
  struct AdamState {
    std::vector<float> grid_m, grid_v;
    std::vector<Eigen::MatrixXf> mlp_m, mlp_v;  // density layers then color layers
  };
  AdamState& adam() { return adam_; }
  const AdamState& adam() const { return adam_; }
  void set_step_count(int step) { step_ = step; }
  float mean_used_per_ray() const { return ema_used_per_ray_; }
  void set_mean_used_per_ray(float v) { ema_used_per_ray_ = v; }
  float mean_marched_per_ray() const { return ema_marched_per_ray_; }
  void set_mean_marched_per_ray(float v) { ema_marched_per_ray_ = v; }

 private:
  struct ChunkResult;
  struct ThreadScratch;
  void process_chunk(int64_t chunk, int n_rays, ChunkResult& out, ThreadScratch& scratch);
  // Adam on the hash-table entries [begin, end) with a non-zero gradient; zeroes them.
  void update_grid_range(const AdamStep& step, size_t begin, size_t end);
  void apply_mlp_optimizer();

  TrainConfig config_;
  std::shared_ptr<const Dataset> data_;
  NerfNetwork network_;
  OccupancyGrid occupancy_;
  AdamState adam_;
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
