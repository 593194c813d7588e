// A training backend on another device: the interface the CUDA backend (cuda/cuda_trainer.cu)
// fills. Plain C++ types only, so cuda/ compiles it without Eigen and renderer/ includes it
// without CUDA. The Trainer keeps the host copy of the model; it moves to the device with
// upload() and back with download() (snapshots, the ray inspector, density queries), and a
// step or a render on the device never crosses the bus with more than its results.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "renderer/backend/render_types.h"
#include "renderer/data/dataset.h"
#include "renderer/math/camera_ray.h"
#include "renderer/train/train_config.h"

namespace nerds {

// One MLP's weights and Adam moments: layer after layer, each row-major (outputs x inputs).
struct PackedMlp {
  std::vector<int> rows, cols;  // per layer
  std::vector<float> weights, adam_m, adam_v;
  size_t layer_offset(size_t k) const {
    size_t o = 0;
    for (size_t i = 0; i < k; ++i) o += static_cast<size_t>(rows[i]) * cols[i];
    return o;
  }
};

// The whole trainable state as flat arrays.
struct PackedModel {
  std::vector<float> grid, grid_m, grid_v;  // hash table parameters and their Adam moments
  PackedMlp density, color;
  std::vector<float> occupancy;             // per cell: decayed optical thickness, <0 unseen
};

struct DeviceStepResult {
  int rays = 0;
  int64_t marched_samples = 0, used_samples = 0;
  double loss = 0.0;  // mean over rays and channels
  double occupancy_seconds = 0.0;
};

class DeviceTrainer {
 public:
  virtual ~DeviceTrainer() = default;
  virtual std::string device_name() const = 0;
  // Replaces the device's model (every array of `model` sized as the configuration says).
  virtual void upload(const PackedModel& model) = 0;
  // Writes the device's model into `model`, whose arrays upload() sized.
  virtual void download(PackedModel& model) const = 0;
  // Training step `step` (0-based: it selects the rays and the occupancy schedule) with n_rays
  // rays at learning rate lr, as Trainer::step does on the CPU.
  virtual DeviceStepResult step(int step, float lr, int n_rays) = 0;
  virtual size_t occupied_cells() const = 0;
  virtual void render(const Ray* rays, size_t n, const RenderSettings& settings, RenderBuffers& out) = 0;
};

// The CUDA backend's trainer (cuda/cuda_trainer.cu); in a build without it, throws
// std::runtime_error saying so. Throws std::runtime_error when the configuration is one the
// CUDA kernels do not support (they name the parameter).
std::unique_ptr<DeviceTrainer> make_cuda_trainer(const TrainConfig& config, const HashGridView& grid,
                                                 const Dataset& train_set);

}  // namespace nerds
