// The CPU backend: trains the Trainer's host model in place with threads (parallel_for) and
// register-blocked GEMMs (small_gemm.h; Eigen for other shapes). A step cuts the batch into
// chunks of about 4096 evaluated samples (a chunk's activations stay in cache); per chunk:
// rays through random pixels (training_ray.h), marched through the occupancy grid in waves
// that evaluate the density stage as they go and stop each ray at early termination
// (march_training_waves.h), or placed by NeRF's hierarchical sampler, evaluated, and the
// samples before early termination kept; then the color stage on the used samples,
// compositing, loss and the compositing backward per ray (ray_loss.h, the body the CUDA
// backend launches), and the network's backward. Then the encoding's scatter backward slice
// by slice, each slice's Adam update right after it, and Adam on the other tensors
// (optimizer.h).
#pragma once

#include <memory>
#include <vector>

#include "renderer/model/host_model.h"
#include "renderer/model/optimizer_restart.h"
#include "renderer/backend/training_backend.h"
#include "renderer/math/se3.h"
#include "renderer/math/training_ray.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

class CpuBackend final : public TrainingBackend {
 public:
  // Trains `model` (the Trainer's host copy, which must outlive this backend) on the images of
  // `train_set` (laid out).
  CpuBackend(const TrainConfig& config, std::shared_ptr<const Dataset> train_set, HostModel& model);
  ~CpuBackend() override;

  std::string device_name() const override { return "cpu"; }
  bool trains_host_model() const override { return true; }
  void upload(const PackedModel&) override {}       // the model is the host copy
  void download(PackedModel&) const override {}     // likewise
  void set_live_config(const TrainConfig& config) override {
    config_ = config;
    sampler_ = make_ray_sampler(config_.sampler);
  }
  BackendStepResult step(const StepRequest& request) override;
  size_t occupied_cells() const override { return model_.occupancy.occupied_count(); }
  void render(const Ray* rays, size_t n, const RenderSettings& settings, RenderBuffers& out) override;
  RestartState optimizer_restarts() const override { return restarts_; }
  void set_optimizer_restarts(const RestartState& r) override { restarts_ = r; }

 private:
  struct ChunkResult;
  struct ThreadScratch;
  TrainingImagesView images_view() const;
  void process_chunk(int step, int first_ray, int n_rays, ChunkResult& out, ThreadScratch& scratch);
  // NeRF-W's loss (Eq. 13) and its gradients on a chunk's rays (transient.enabled): returns the
  // loss summed as the other losses are; adds the squared color errors to squared_error.
  double transient_loss(int n_rays, int rays_total, ThreadScratch& scratch, double* squared_error) const;

  TrainConfig config_;
  std::unique_ptr<RaySampler> sampler_;  // config_.sampler.kind
  std::shared_ptr<const Dataset> data_;
  HostModel& model_;
  std::vector<Pose> poses_;
  std::vector<Intrinsics> intrinsics_;
  std::vector<RayCorrection> corrections_;  // this step's (BARF's pose refinement; empty when off)
  // The optimizer restarts of an encoding's resolution schedule so far (TensoRF's upsampling):
  // the rate and Adam's step count of the network's tensors follow them.
  RestartState restarts_;
  size_t total_pixels_ = 0;        // of the training images (fixed for the run)
  float loss_weight_scale_ = 1.f;  // Dataset::loss_weight_scale()
  // Per tensor: the gradient the encoding's slices scatter into (empty for the others, whose
  // gradients the chunks' NetworkGradients hold). Adam zeroes it after each step.
  std::vector<std::vector<float>> scatter_grads_;
  std::vector<std::unique_ptr<ChunkResult>> chunks_;
  std::vector<std::unique_ptr<ThreadScratch>> scratch_;
};

}  // namespace nerds
