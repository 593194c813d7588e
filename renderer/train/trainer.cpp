#include "renderer/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>

#include "renderer/backend/cpu_backend.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

namespace {
double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}
}  // namespace

Trainer::Trainer(const TrainConfig& config, std::shared_ptr<const Dataset> train_set, bool use_cuda)
    : config_(config), data_(std::move(train_set)) {
  if (!data_ || data_->frames.empty()) throw std::invalid_argument("trainer: empty training set");
  if (data_->rgba.empty()) throw std::invalid_argument("trainer: training set has no images loaded");
  model_.network = NerfNetwork(config.network);
  model_.network.initialize(config.seed);
  model_.occupancy = OccupancyGrid(config.occupancy);
  // The grid's cells lie in the box the rays are sampled in: with NDC that is NDC space, which
  // every (forward-facing) camera sees whole, so no cell is unseen there; contracted space
  // holds all of space, which is not marked either (its cells empty themselves by decay). A sampler that does
  // not read the grid (NeRF's) leaves it alone.
  const std::unique_ptr<RaySampler> sampler = make_ray_sampler(config.sampler);
  if (config.occupancy.enabled && config.warp.kind == WarpKind::None && sampler->reads_occupancy_grid())
    model_.occupancy.mark_unseen(data_->frames);
  // In NDC the slab in front of the nearest content the near bound allows is empty: left
  // occupied, every ray's first samples (shared by all cameras) grow a haze there that ends
  // the rays before the scene (issue 20).
  if (config.occupancy.enabled && config.warp.kind == WarpKind::Ndc && config.warp.ndc.content_depth > 0.f &&
      sampler->reads_occupancy_grid())
    model_.occupancy.mark_empty_below_z(
        ndc_box_z_of_depth(config.warp.ndc, config.march.box_half, config.warp.ndc.content_depth));
  // The batch's ray count follows these means (Trainer::step): a sampler with fixed counts
  // starts them there.
  if (const std::optional<SamplesPerRay> per_ray = sampler->initial_samples_per_ray()) {
    ema_used_per_ray_ = per_ray->used;
    ema_marched_per_ray_ = per_ray->marched;
  }
  if (config.pose_refine.enabled) model_.pose_refine = PoseRefinement(static_cast<int>(data_->frames.size()));
  model_.moments = zero_moments(model_.param_tensors());
  if (use_cuda) {
    backend_ = make_cuda_backend(config_, *data_);
    upload_pending_ = true;
  } else {
    backend_ = std::make_unique<CpuBackend>(config_, data_, model_);
  }
}

Trainer::~Trainer() = default;

void Trainer::sync_host() const {
  if (!host_stale_) return;
  PackedModel model = describe_model(model_.param_tensors());
  model.occupancy = model_.occupancy.values();  // kept where the backend has no grid of its own (disabled)
  backend_->download(model);
  model_.unpack(model);
  host_stale_ = false;
}

void Trainer::sync_device() const {
  if (!upload_pending_) return;
  backend_->upload(model_.pack());
  upload_pending_ = false;
}

float Trainer::current_lr() const {
  const OptimizerConfig& o = config_.optimizer;
  // lr = 0 freezes the model (the viewer and notebooks pause learning so); the budget schedule's
  // ratio budget_lr_final / lr below would then be x / 0 and its rate 0 * inf = NaN.
  if (o.lr == 0.f) return 0.f;
  if (budget_progress_ >= 0.f) {
    const float p = std::min(budget_progress_, 1.f);
    if (p <= o.budget_decay_from || o.budget_decay_from >= 1.f) return o.lr;
    const float f = (p - o.budget_decay_from) / (1.f - o.budget_decay_from);
    return o.lr * std::pow(o.budget_lr_final / o.lr, f);
  }
  if (step_ < o.decay_start) return o.lr;
  const float decayed = o.lr * std::pow(o.decay_factor, static_cast<float>(step_ - o.decay_start) / o.decay_interval);
  return std::max(decayed, std::min(o.lr_min, o.lr));
}

float Trainer::training_progress() const {
  // Without a budget (the viewer) BARF's schedules run over this many steps.
  constexpr float kScheduleStepsWithoutBudget = 2000.f;
  if (budget_progress_ >= 0.f) return std::min(budget_progress_, 1.f);
  return std::min(static_cast<float>(step_) / kScheduleStepsWithoutBudget, 1.f);
}

StepStats Trainer::step() {
  const int n_rays = std::clamp(static_cast<int>(config_.batch_samples / std::max(ema_used_per_ray_, 1.f)), 1,
                                config_.batch_samples);
  const double t_start = now_seconds();
  sync_device();
  StepRequest request;
  request.step = step_;
  request.lr = current_lr();
  request.n_rays = n_rays;
  request.mean_marched_per_ray = ema_marched_per_ray_;
  request.progress = training_progress();
  request.pose_lr = pose_refine_lr(config_.pose_refine, request.progress);
  const BackendStepResult r = backend_->step(request);
  if (!backend_->trains_host_model()) host_stale_ = true;
  StepStats st;
  st.rays = r.rays;
  st.marched_samples = r.marched_samples;
  st.used_samples = r.used_samples;
  st.loss = r.loss;
  st.mse = r.mse;
  st.sampler_loss = r.sampler_loss;
  st.seconds = now_seconds() - t_start;
  times_.occupancy += r.occupancy_seconds;
  times_.march_forward_backward += r.march_seconds;
  times_.hash_backward += r.scatter_seconds;
  times_.optimizer += r.optimizer_seconds;
  ++step_;
  const float used_per_ray = static_cast<float>(st.used_samples) / std::max(st.rays, 1);
  const float marched_per_ray = static_cast<float>(st.marched_samples) / std::max(st.rays, 1);
  ema_used_per_ray_ = 0.5f * ema_used_per_ray_ + 0.5f * std::max(used_per_ray, 1.f);
  ema_marched_per_ray_ = 0.5f * ema_marched_per_ray_ + 0.5f * std::max(marched_per_ray, 1.f);
  st.step = step_;
  watch_.after_step(st, request.lr, config_.optimizer, config_.occupancy.enabled,
                    [this] { return occupied_cell_count(); });
  return st;
}

}  // namespace nerds
