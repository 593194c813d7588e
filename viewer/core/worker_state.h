// What the engine's worker thread publishes for the window: plain copies and immutable shared
// results, so the window reads them without ever waiting for a training step or a render.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "viewer/core/commands.h"
#include "viewer/core/pose_frustums.h"
#include "viewer/core/training_history.h"

namespace nerds::viewer {

// The opened scene: the datasets (for cameras and ground truth) and the run's settings.
struct SceneInfo {
  std::shared_ptr<const Dataset> train;  // the engine's training split, images included
  std::shared_ptr<const Dataset> test;   // the test split (images included), empty when absent
  std::string data_dir, method_name, snapshot;
  ParamSet params;        // the parameters the engine runs with
  float box_half = 0.5f;  // the scene box is 0.5 +- box_half in the engine's frame
  std::string loss;       // the photometric loss ("l2" makes the PSNR-from-loss meaningful)
  std::vector<PackedTensor> tensors;  // the model's trained tensors (descriptions only, no values)
  // Per RenderLayer (by its number): why the model cannot render it, "" when it can
  // (render_mode_layers.h).
  std::vector<std::string> layer_unavailable;
  int appearance_dim = 0;    // NeRF-W's appearance code's length (0: no codes)
  bool pose_refine = false;  // BARF's camera.pose_refine
};

// One completed level of a progressive render.
struct RenderedImage {
  uint64_t view_version = 0;  // the RenderTarget it renders
  int step = 0;  // the training step of the model state it shows (every band of it: band_steps)
  // The engine's training step when its first and its last band were rendered: training goes
  // on between the bands (then the bands come from a frozen copy of the model at `step`).
  int start_step = 0, end_step = 0;
  std::vector<int> band_steps;  // the model step each band was rendered from, top to bottom
  int divisor = 1;            // 1: full size
  bool finest = false;
  Pose pose;
  Intrinsics intrinsics;  // of this image (width x height pixels)
  float background[3] = {1.f, 1.f, 1.f};
  RenderBuffers buffers;
  double seconds = 0.0;         // render time of this level (its model copy included)
  double freeze_seconds = 0.0;  // of which copying the model (Engine::freeze); 0 when none was needed
};

// The ray inspector's result for one ray.
struct InspectResult {
  cmd::Inspect request;
  std::vector<RaySample> samples;
  float rgb[3] = {0.f, 0.f, 0.f};  // composited by the engine (a 1-pixel render of the ray)
  float depth = 0.f, opacity = 0.f;
  int step = 0;
};

// A slice through a level of the model's grid encoding (cmd::SliceGrid), or why there is none.
struct GridSliceResult {
  cmd::SliceGrid request;
  GridSlice slice;   // empty values when `note` says why
  std::string note;  // e.g. the encoding is not a grid
  int step = 0;      // the model step it was taken at
};

// The model's mean PSNR over the test views (cmd::ScoreTestViews), or why there is none.
struct TestViewsScore {
  int views = 0;      // views scored; 0 when `note` says why not
  double psnr = 0.0;  // dB, the mean of per-view PSNRs, white background (train/evaluate.h)
  int step = 0;       // the model step it was scored at
  std::string note;
};

struct WorkerState {
  uint64_t version = 0;   // changes with anything below
  std::string status;     // what the worker is doing ("making the scene ...", "training", ...)
  std::string error;      // the last error (a bad file, a bad parameter), until the next success
  std::string notice;     // the last thing done on request ("saved ...")
  bool ready = false;     // an engine is open
  bool training = false;  // continuous training is on
  int train_to = 0;       // a TrainTo target not reached yet (0: none)
  int train_threads = 0;  // threads a training step uses
  EngineStats stats;
  float learning_rate = 0.f;
  std::vector<TrainingPoint> history;
  uint64_t scene_version = 0;  // changes on open and reset
  std::shared_ptr<const SceneInfo> scene;
  std::shared_ptr<const RenderedImage> image;  // the newest completed level of the current view
  bool render_settled = false;                 // the current view is rendered at full size for this model
  std::shared_ptr<const OccupancyCells> occupancy;
  std::array<std::shared_ptr<const InspectResult>, 2> inspect;
  std::shared_ptr<const GridSliceResult> grid_slice;  // while a cmd::SliceGrid is on
  std::shared_ptr<const TestViewsScore> test_score;   // after a cmd::ScoreTestViews
  std::shared_ptr<const CameraPoseSets> poses;         // BARF's camera sets (pose refinement on), kept up to date
};

}  // namespace nerds::viewer
