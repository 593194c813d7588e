// The engine's one public face; the CLI, the viewer and the Python module are its clients:
// load a dataset and a method, train step by step, render any camera, inspect a ray,
// evaluate, save and load snapshots. Only plain types come through it: no Eigen, no trainer,
// no module machinery (tests/test_engine_header.cpp checks). Besides it a client uses
// public headers of the same kind: techniques/method_files.h (a method's parameters),
// train/evaluate.h, techniques/paper_cards.h, data/image_io.h.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "renderer/backend/render_types.h"
#include "renderer/math/camera_ray.h"
#include "renderer/data/dataset.h"
#include "renderer/data/dataset_fingerprint.h"
#include "renderer/model/packed_model.h"
#include "renderer/techniques/encodings/grid_slice.h"
#include "renderer/techniques/core/params.h"
#include "renderer/train/step_stats.h"

namespace nerds {

class Trainer;
struct TrainConfig;
class FrozenModel;

struct EngineOptions {
  std::string data_dir;     // dataset folder (NeRF-synthetic or transforms.json)
  int downscale = 1;        // integer image downscale
  std::string method_name = "instant_ngp";
  std::string device = "cpu";  // cpu | cuda | auto (the GPU when one is usable, else the CPU)
};

// The device a run will use for a requested one: "cpu" or "cuda". Throws InputError (field
// "device") for an unknown name, or for "cuda" when this build or machine has no usable GPU.
std::string resolve_device(const std::string& requested);

struct EngineStats {
  int step = 0;
  double train_seconds = 0.0;   // wall time inside train_step()
  int64_t used_samples = 0;     // total, forward + backward
  int64_t marched_samples = 0;  // total, forward
  int64_t rays = 0;
  double last_loss = 0.0;
  double last_mse = std::nan("");  // the last batch's mean squared color error (NaN: not measured by the backend)
  size_t occupied_cells = 0, total_cells = 0;
  StageTimes stages;
};

// The occupancy grid's cells, for the viewer's overlay: `resolution`^3 flags per cascade
// (cascade-major, x fastest; cascade c covers the box 0.5 +- 2^c / 2), 1 where occupied.
struct OccupancyCells {
  int resolution = 0, cascades = 0;
  std::vector<uint8_t> occupied;
};

class Engine {
 public:
  // A fresh run on the training split of options.data_dir with the given parameters.
  Engine(const EngineOptions& options, const ParamSet& params);
  // Loads a snapshot written by save(); its dataset is reloaded from the folder it names
  // unless data_dir_override is given. Throws InputError for a missing or corrupt file, and
  // for a dataset whose training split differs from the snapshot's dataset_fingerprint (the
  // folder's content changed, or another dataset) unless accept_other_dataset
  // (renderer/data/dataset_fingerprint.h).
  static std::unique_ptr<Engine> load(const std::string& snapshot_path, const std::string& data_dir_override = "",
                                      const std::string& device = "cpu", bool accept_other_dataset = false);
  ~Engine();

  // Atomic (temporary file + rename): an interrupted save never damages the previous one.
  // A model holding NaN or infinity is not written (TrainingFailure naming the tensor): the
  // previous file stays. load() refuses such a model likewise.
  void save(const std::string& snapshot_path) const;

  StepStats train_step();
  // The training budget from here on: `seconds` more of training time or `steps` more steps
  // (0 = not limited by it; both 0 = no budget). The learning rate then decays over it
  // (trainer.budget_decay_from, trainer.budget_lr_final); without one it follows the steps.
  void set_budget(double seconds, int steps);

  const EngineOptions& options() const { return options_; }
  // "cpu" or "cuda": where training and rendering run.
  const std::string& device() const { return device_; }
  const ParamSet& params() const { return params_; }
  // Half the edge of the scene's box (engine units): the box is 0.5 +- box_half().
  float box_half() const;
  // The learning rate the backend steps with (TensoRF's restarts included), at the budget's progress
  // as the last step set it (the next step sets its own first).
  float current_lr() const;
  const Dataset& train_set() const { return *train_; }
  // The training split's fingerprint, taken when it was loaded; save() stores it.
  const DatasetFingerprint& dataset_fingerprint() const { return fingerprint_; }
  std::shared_ptr<const Dataset> train_set_ptr() const { return train_; }
  // Another split of the same folder with the same downscale (e.g. "test").
  Dataset load_split(const std::string& split, bool load_images = true) const;
  EngineStats stats() const { return stats_; }
  // The run's settings and its trainer, for white-box tests (they include
  // renderer/train/trainer.h themselves); clients use the accessors above.
  const TrainConfig& config() const;
  const Trainer& trainer() const;

  // Renders a camera in the engine's frame. background: RGB behind the scene.
  RenderBuffers render(const Pose& pose, const Intrinsics& intrinsics, const float background[3]) const;
  // The same, with RenderBuffers::layer holding `layer` (render_types.h: normals, Ref-NeRF's
  // diffuse and specular parts, NeRF-W's static and transient parts and uncertainty), rendered
  // on the CPU beside the colour (slower: the inspector's samples, no early termination).
  // Throws InputError (field "layer") for a layer this model lacks: layer_unavailable says why.
  RenderBuffers render(const Pose& pose, const Intrinsics& intrinsics, const float background[3],
                       const LayerRequest& layer) const;
  // Empty when the model has `layer`; else why not, naming the parameter that gives it.
  std::string layer_unavailable(RenderLayer layer) const;
  // A copy of the model for rendering while training goes on (renderer/backend/frozen_model.h):
  // freeze() copies the model as it is now (its tensors' values and its occupancy grid, not the
  // Adam moments), and render_frozen() renders that copy as render() renders the live model,
  // whatever steps were trained since. An image rendered in pieces with training steps between
  // them (the viewer's progressive bands) so shows one model state. The copy renders on the CPU.
  void freeze();
  // The training step of the frozen copy; -1 when there is none.
  int frozen_step() const;
  // Throws std::logic_error without a frozen copy.
  RenderBuffers render_frozen(const Pose& pose, const Intrinsics& intrinsics, const float background[3],
                              const LayerRequest& layer = {}) const;
  // NeRF-W's appearance codes (appearance.kind=embedding): set_view_appearance chooses the code
  // renders use (appearance.dim numbers: a training image's, a blend, a fitted one; empty: the
  // training codes' mean), for the live model and the frozen copy. fit_view_appearance fits a
  // code to target colors (RGB, 3 per ray, over `background`) along rays of a view with the
  // model frozen (renderer/train/appearance_fit.h): NeRF-W's test-time protocol.
  void set_view_appearance(std::vector<float> code);
  // Training image `image`'s appearance code as trained so far (appearance.dim numbers; -1: the
  // mean of the training codes); empty without codes. Throws InputError (field "image") for an
  // image out of range.
  std::vector<float> appearance_code(int image) const;
  std::vector<float> fit_view_appearance(const std::vector<Ray>& rays, const std::vector<float>& target,
                                         const float background[3], int steps, float lr) const;
  // The samples along the ray through pixel (px, py), for the ray inspector.
  std::vector<RaySample> inspect(const Pose& pose, const Intrinsics& intrinsics, float px, float py) const;
  // Density at points of the engine's frame (for notebooks and the viewer). A point outside the
  // scene box reads the box's edge; under warp.kind=ndc a point the warp cannot map (on or
  // behind the reference camera's plane) is an InputError (field "points", its index).
  std::vector<float> density_at(const std::vector<Vec3>& points) const;
  // The network's color c(x, d) (RGB in [0, 1], 3 per point) at points of the engine's frame
  // seen along directions (any non-zero length; normalized here): what a sample there
  // contributes to a ray travelling along d, before compositing. Points, not frustums: for
  // Mip-NeRF's IPE it is the zero-footprint limit, as density_at. Throws InputError (field
  // "dirs") when the counts differ or a direction is zero or not finite.
  std::vector<float> color_at(const std::vector<Vec3>& points, const std::vector<Vec3>& dirs) const;

  // One level of the model's grid encoding (encoding.kind hash or dense) on an axis-aligned
  // plane through the scene box: its features at size x size samples of the plane `axis` (0 x,
  // 1 y, 2 z) = offset (in [0,1] of the box; under warp.kind=ndc, of the warped space the grid
  // covers). See renderer/techniques/encodings/grid_slice.h. Throws InputError naming
  // "encoding.kind" when the model's encoding is not a grid, and "level", "axis", "offset" or
  // "size" for an argument out of range.
  GridSlice grid_slice(int level, int axis, float offset, int size) const;

  // Applies a changed parameter set to the running training without resetting it: the
  // parameters declared with needs_reset == false (optimizer settings, learning-rate schedule,
  // loss, training background) take effect from the next step; the model, its optimizer
  // moments and the step count are kept. Throws InputError naming the path of any changed
  // parameter that needs a reset (make a new engine for those), or of a value the run's
  // configuration rejects; on a throw nothing changes. Returns the changed paths.
  std::vector<std::string> apply_params(const ParamSet& params);
  // A copy of the occupancy grid's flags (for overlays; empty when the grid is disabled).
  OccupancyCells occupancy_cells() const;
  // The model's trained tensors, in the model's order: name, shape, storage order, optimizer
  // group and learning-rate factor, and when with_values a copy of the values (in the
  // tensor's storage order; the Adam moments are left empty).
  std::vector<PackedTensor> param_tensors(bool with_values = false) const;

 private:
  RenderSettings render_settings(const float background[3]) const;
  // render() and render_frozen(): the camera's rays, rendered by the live model or the frozen copy.
  RenderBuffers render_camera(const Pose& pose, const Intrinsics& intrinsics, const float background[3],
                              const FrozenModel* frozen, const LayerRequest& layer = {}) const;

  EngineOptions options_;
  std::string device_;
  ParamSet params_;
  std::shared_ptr<const Dataset> train_;
  DatasetFingerprint fingerprint_;
  std::unique_ptr<Trainer> trainer_;
  EngineStats stats_;
  double budget_end_seconds_ = 0.0;  // absolute training time at which the budget ends (0: none)
  int budget_end_step_ = 0;          // absolute step at which the budget ends (0: none)
  std::unique_ptr<FrozenModel> frozen_;  // freeze()'s copy, kept for its storage
};

}  // namespace nerds
