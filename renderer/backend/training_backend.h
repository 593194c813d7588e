// The one interface between the Trainer and a backend that trains and renders the model: the
// CPU backend (cpu_backend.h) and the CUDA backend (cuda/cuda_trainer.cu) implement it. The
// Trainer keeps what is the same on every backend (the learning-rate schedule, the batch
// shape, the budget, the step count, and the host copy of the model that snapshots, the ray
// inspector and point queries read); a backend takes one training step, renders rays, counts
// occupied cells, and exchanges the model with the host copy as a PackedModel (the named
// tensor list and the occupancy values). Plain C++ types only: cuda/ compiles it without
// Eigen, renderer/ includes it without CUDA.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "renderer/backend/render_types.h"
#include "renderer/data/dataset.h"
#include "renderer/math/camera_ray.h"
#include "renderer/model/optimizer_restart.h"
#include "renderer/model/packed_model.h"
#include "renderer/train/train_config.h"

namespace nerds {

// One training step as the Trainer shapes it.
struct StepRequest {
  int step = 0;     // 0-based: it selects the rays and the occupancy grid's schedule
  float lr = 0.f;   // the schedule's learning rate for this step
  int n_rays = 0;   // rays in the batch (from the running mean of samples per ray)
  // The running mean of marched samples per ray: the CPU backend cuts the batch into chunks
  // of about the same number of samples with it.
  float mean_marched_per_ray = 1.f;
  // BARF (Lin et al. 2021): the fraction of training done, for the encoding's coarse-to-fine
  // weights (encoding.c2f), and the pose corrections' learning rate (camera.pose_refine).
  float progress = 1.f;
  float pose_lr = 0.f;
};

struct BackendStepResult {
  int rays = 0;
  int64_t marched_samples = 0;  // evaluated by the forward pass
  int64_t used_samples = 0;     // seen by the loss (after early termination)
  double loss = 0.0;            // mean over rays and channels
  double mse = std::nan("");    // the batch's mean squared color error; NaN where not measured
  // The sampler's own training loss, weighted, mean over rays (the proposal sampler's L_prop,
  // RaySampler::placement_loss); 0 for samplers without one. Not part of `loss`.
  double sampler_loss = 0.0;
  // Seconds per stage (StageTimes): the occupancy grid's update, march + forward + backward,
  // the encoding's scatter backward with its Adam update, the other tensors' Adam update.
  double occupancy_seconds = 0.0, march_seconds = 0.0, scatter_seconds = 0.0, optimizer_seconds = 0.0;
};

class TrainingBackend {
 public:
  virtual ~TrainingBackend() = default;
  // "cpu", or the device's name.
  virtual std::string device_name() const = 0;
  // True when the backend trains the Trainer's host copy in place (the CPU): then nothing is
  // uploaded or downloaded.
  virtual bool trains_host_model() const = 0;
  // Replaces the backend's model with `model` (the host copy: every tensor it holds, by name).
  virtual void upload(const PackedModel& model) = 0;
  // Writes the backend's model into `model`, whose tensor list (describe_model) names what to
  // fill: each tensor's values and Adam moments, and the occupancy values (where the backend
  // keeps a grid: with the grid disabled, model.occupancy is left as it is).
  virtual void download(PackedModel& model) const = 0;
  // Takes over the settings that change while training (Engine::apply_params: optimizer,
  // schedule, loss, training background); the model stays as it is.
  virtual void set_live_config(const TrainConfig& config) = 0;
  virtual BackendStepResult step(const StepRequest& request) = 0;
  virtual size_t occupied_cells() const = 0;
  // Renders n rays into out (resized to n).
  virtual void render(const Ray* rays, size_t n, const RenderSettings& settings, RenderBuffers& out) = 0;
  // The optimizer restarts of an encoding's resolution schedule so far (TensoRF's upsampling;
  // optimizer_restart.h): a snapshot keeps them, so a resumed run steps at the rate and with
  // the Adam step count of the uninterrupted one. None where no encoding restarts (the CUDA
  // backend refuses the one that does).
  virtual RestartState optimizer_restarts() const { return {}; }
  virtual void set_optimizer_restarts(const RestartState&) {}
};

// The CUDA backend (defined in cuda/cuda_trainer.cu, or by the stub of a build without it,
// cuda/training_backend_none.cpp; chosen at link time).
// Empty when it can train `config`; else why not, naming the parameter (the engine's
// --device auto then trains on the CPU and says so, --device cuda fails with it).
std::string cuda_backend_supports(const TrainConfig& config);
// Its trainer for `config` on the images of `train_set` (laid out). Throws
// std::runtime_error when this build or machine has no usable CUDA device, and
// std::invalid_argument when cuda_backend_supports(config) is not empty.
std::unique_ptr<TrainingBackend> make_cuda_backend(const TrainConfig& config, const Dataset& train_set);

}  // namespace nerds
