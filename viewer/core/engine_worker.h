// The engine's owner: one thread that creates the engine, applies the window's commands
// between training steps, trains, renders the window's view progressively, re-inspects rays
// as the model changes, and publishes the results as a WorkerState. The engine is not
// thread-safe; only this thread ever touches it, so the window never blocks on it.
//
// Per pass of its loop the worker does at most one band of a render and one training step,
// so a moving camera waits for at most one step; while the camera moves (and for a moment
// after) training pauses so the coarse images follow the mouse. Every image it publishes
// shows one model state: on the CPU a level of several bands is rendered from a copy of the
// model frozen when the level starts (Engine::freeze: a memory copy of the tensors, a fraction
// of one band's time), so training steps go on between its bands; a GPU engine renders the
// model itself (a level there is one band or a few) and trains only between levels.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "viewer/core/command_queue.h"
#include "viewer/core/progressive_render.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

// The view the window wants rendered now (the newest replaces any older one).
struct ViewRequest {
  RenderTarget target;          // version 0: nothing to render
  bool want_occupancy = false;  // publish the occupancy grid (the overlay is on)
};

struct WorkerSettings {
  double coarse_seconds = 0.08;                         // the first (moving-camera) level takes about this long...
  int coarse_rays_min = 1024, coarse_rays_max = 16384;  // ...within these rays (4096 before any is timed)
  double band_seconds = 0.05;                           // target time of one band of a render
  int band_rays_min = 1024;                             // a band has at least these rays (or one row)
  double camera_priority_seconds = 0.25;                // no training step this long after the camera moved
  double refresh_seconds = 1.0;    // a still view is re-rendered for a newer model at most this often...
  double render_share = 0.35;      // ...and so that re-rendering takes at most this share of the time
  double inspect_seconds = 0.5;    // inspected rays (and the grid slice) are refreshed at most this often while training
  double occupancy_seconds = 1.0;  // the occupancy overlay is refreshed at most this often
  int max_threads = 0;  // threads this worker trains and renders with at most (0: OpenMP's; compare mode: a share)
};

class EngineWorker {
 public:
  explicit EngineWorker(const WorkerSettings& settings = {});
  ~EngineWorker();  // stops after the current step or render band
  EngineWorker(const EngineWorker&) = delete;
  EngineWorker& operator=(const EngineWorker&) = delete;

  void post(Command command) { queue_.push(std::move(command)); }
  CommandQueue& commands() { return queue_; }
  void set_view(const ViewRequest& view);
  // Copies the published state into *out when it changed since `have_version`; returns
  // whether it did.
  bool state_if_newer(uint64_t have_version, WorkerState* out) const;
  WorkerState state() const;

 private:
  using Clock = std::chrono::steady_clock;
  void run();
  void apply(Command& command);
  void open(const EngineSetup& setup);
  void reset(const ParamSet& params);
  void apply_params(const ParamSet& params);
  bool render_band();
  bool train_step();
  int coarse_rays() const;
  bool refresh_inspections();
  void refresh_occupancy(bool wanted);
  bool refresh_grid_slice();
  void inspect(int slot);
  bool wants_training() const;
  bool renders_frozen() const;        // levels of several bands are rendered from Engine::freeze's copy
  bool level_holds_training() const;  // a level rendered from the live model is half done
  void set_threads(int threads);
  // NeRF-W: the chosen appearance's code (appearance_) into the engine, from the codes as
  // trained now; nothing without codes.
  void apply_appearance();
  template <class F>
  void publish(F&& change);

  WorkerSettings settings_;
  CommandQueue queue_;
  mutable std::mutex state_mutex_;
  WorkerState state_;
  mutable std::mutex view_mutex_;
  ViewRequest view_;
  std::atomic<bool> stop_{false};

  // Only the worker thread touches these.
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<SceneInfo> scene_;
  TrainingHistory history_;
  ProgressiveRender job_;
  bool restart_render_ = true;     // the engine changed: render the view again from the coarsest level
  uint64_t rendered_version_ = 0;  // the view version the last finished job rendered
  int rendered_step_ = -1;         // the model step of the last full-size image
  Clock::time_point next_refresh_, last_move_, last_occupancy_;
  double job_render_seconds_ = 0.0;
  int job_start_step_ = 0;
  double job_freeze_seconds_ = 0.0;
  double rays_per_second_ = 0.0;
  bool training_ = false, step_once_ = false, then_run_ = false;
  int train_to_ = 0;
  int max_threads_ = 1, train_threads_ = 0;
  std::array<std::unique_ptr<cmd::Inspect>, 2> inspect_requests_;
  std::array<Clock::time_point, 2> inspected_at_;
  std::array<int, 2> inspected_step_ = {-1, -1};
  int occupancy_step_ = -1;
  AppearanceChoice appearance_;
  cmd::SliceGrid slice_request_;
  int slice_step_ = -1;  // the model step of the published slice; -1: due now
  Clock::time_point sliced_at_;
  Clock::time_point opened_at_;
  std::thread thread_;  // last: starts after every member above exists
};

}  // namespace nerds::viewer
