// What the window asks of the engine. The engine is not thread-safe, so the window never
// calls it: panels push these commands and the engine's worker thread applies them between
// training steps, in the order they were pushed.
#pragma once

#include <string>
#include <variant>

#include "renderer/engine.h"
#include "viewer/core/engine_setup.h"
#include "viewer/core/viewer_state.h"

namespace nerds::viewer {

namespace cmd {

struct Open {  // replace the engine (a dataset, a run's snapshot, a session's scene)
  EngineSetup setup;
};
struct SetTraining {  // start or pause continuous training
  bool run = false;
};
struct StepOnce {};  // one training step, then pause
struct Reset {       // retrain from scratch on the same data with these parameters
  ParamSet params;
};
struct ApplyParams {  // change training settings (needs_reset = false) of the running model
  ParamSet params;
};
struct TrainTo {  // train until the engine is at `step` (a session's step), then pause unless `then_run`
  int step = 0;
  bool then_run = false;
};
struct Inspect {  // the samples along one ray, kept up to date while training; slot 0 or 1
  int slot = 0;
  Pose pose;
  Intrinsics intrinsics;
  float px = 0.f, py = 0.f;  // pixel position in `intrinsics` (pixel centers at +0.5)
  float background[3] = {1.f, 1.f, 1.f};
};
struct ClearInspect {
  int slot = 0;
};
struct SaveSnapshot {  // Engine::save (a session's model)
  std::string path;
};
struct ScoreTestViews {  // the mean PSNR of the model over the test split (train/evaluate.h), once
};
struct SetTrainThreads {  // OpenMP threads for training steps (renders keep every thread)
  int threads = 0;        // 0: all
};

struct SliceGrid {  // keep a slice through a level of the grid encoding up to date (Engine::grid_slice)
  bool on = false;    // off: no slice is computed
  int level = 0;
  int axis = 2;         // the plane's normal: 0 x, 1 y, 2 z
  float offset = 0.5f;  // in [0,1] of the box
  int size = 128;       // samples a side
};

struct SetAppearance {  // NeRF-W: the appearance code renders use (appearance_blend.h), kept while training
  AppearanceChoice choice;
};

}  // namespace cmd

using Command = std::variant<cmd::Open, cmd::SetTraining, cmd::StepOnce, cmd::Reset, cmd::ApplyParams, cmd::TrainTo,
                             cmd::Inspect, cmd::ClearInspect, cmd::SaveSnapshot, cmd::ScoreTestViews,
                             cmd::SetTrainThreads, cmd::SliceGrid, cmd::SetAppearance>;

}  // namespace nerds::viewer
