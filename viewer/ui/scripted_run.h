// The scripted mode (--frames N --screenshot PATH [--frame-times PATH]): wait until the scene
// is open and the session's step is reached, draw N frames (timing each one: training goes on
// meanwhile if the session trains), wait until the view is rendered at full size for the
// model on screen and the inspected rays (and the grid slice of --grid-slice) are up to date,
// draw two more frames (so every panel has its final size), then write the screenshot and its
// layout file and end. Gives up with exit status 1 after the timeout or on an error. In compare
// mode every arm must be open, at the step, and rendered so (each arm is one WorkerState).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "viewer/core/view_tracker.h"
#include "viewer/core/viewer_options.h"
#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

class ScriptedRun {
 public:
  ScriptedRun(const ViewerOptions& options, int target_step);

  // Called once per frame before drawing; decides whether this frame is the screenshot.
  void observe(const std::vector<const WorkerState*>& arms, const ViewerState& state, const ViewTarget& view);
  bool screenshot_now() const { return phase_ == Phase::Screenshot; }
  bool drawing_frames() const { return phase_ == Phase::Frames; }
  bool settling() const { return phase_ == Phase::Settling; }
  // The layout's PSNR needs each arm's test-view score (the window posted cmd::ScoreTestViews
  // once the frames were drawn): the screenshot waits for it.
  void require_test_scores() { test_scores_ = true; }
  // Called after the frame was presented.
  void frame_done();
  // The OpenGL error state after a frame (glGetError): anything but 0 fails the run.
  void check_gl_error(unsigned error);
  bool finished() const { return phase_ == Phase::Done || phase_ == Phase::Failed; }
  int exit_code() const { return phase_ == Phase::Failed ? 1 : 0; }
  const std::string& failure() const { return failure_; }
  const std::vector<double>& frame_seconds() const { return frame_seconds_; }
  // Writes the frame times (JSON: each frame's milliseconds, median, 95th percentile, ...), and
  // each arm's training steps and samples/s while the frames were drawn.
  void write_frame_times(const std::string& path, const std::vector<const WorkerState*>& arms) const;

 private:
  enum class Phase { Starting, Frames, Settling, Tail, Screenshot, Done, Failed };
  using Clock = std::chrono::steady_clock;
  void fail(const std::string& why);
  bool arm_ready(const WorkerState& w, const ViewerState& state, const ViewTarget& view) const;
  // One arm's training while the frames were drawn.
  struct ArmCounters {
    int steps_start = 0, steps_end = -1;
    double train_seconds_start = 0.0, train_seconds_end = 0.0;
    int64_t samples_start = 0, samples_end = 0;
  };

  ViewerOptions options_;
  int target_step_ = 0;
  Phase phase_ = Phase::Starting;
  int frames_left_ = 0, tail_left_ = 2;
  Clock::time_point started_, last_frame_;
  bool timing_ = false;
  std::vector<double> frame_seconds_;
  std::vector<ArmCounters> counters_;
  bool counted_end_ = false;
  bool test_scores_ = false;
  std::string failure_;
};

}  // namespace nerds::viewer
