#include "viewer/ui/scripted_run.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "renderer/error.h"

namespace nerds::viewer {

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const double at = p * (v.size() - 1);
  const size_t i = static_cast<size_t>(at);
  const double f = at - i;
  return i + 1 < v.size() ? v[i] * (1.0 - f) + v[i + 1] * f : v[i];
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

}  // namespace

ScriptedRun::ScriptedRun(const ViewerOptions& options, int target_step)
    // One frame more than asked: N frame times are the intervals between N + 1 frames.
    : options_(options), target_step_(target_step), frames_left_(options.frames + 1), started_(Clock::now()) {}

void ScriptedRun::fail(const std::string& why) {
  failure_ = why;
  phase_ = Phase::Failed;
}

void ScriptedRun::observe(const WorkerState& w, const ViewerState& state, const ViewTarget& view) {
  if (finished()) return;
  if (!w.ready && !w.error.empty()) return fail(w.error);
  const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
  if (elapsed > options_.timeout_seconds) {
    const char* doing = phase_ == Phase::Starting ? "opening the scene and training to the step"
                        : phase_ == Phase::Frames ? "drawing frames"
                                                  : "waiting for the full-size render";
    return fail("timed out after " + std::to_string(static_cast<int>(elapsed)) + " s " + doing);
  }
  if (phase_ == Phase::Starting && w.ready && view.valid && w.stats.step >= target_step_ && w.train_to == 0) {
    phase_ = Phase::Frames;
    steps_at_frames_start_ = w.stats.step;
    train_seconds_at_start_ = w.stats.train_seconds;
  }
  if (phase_ == Phase::Settling && steps_at_frames_end_ < 0) {
    steps_at_frames_end_ = w.stats.step;
    train_seconds_at_end_ = w.stats.train_seconds;
  }
  if (phase_ == Phase::Settling) {
    const auto& img = w.image;
    // Paused: the full-size image of this very model. Training: any full-size image of this
    // view (each shows one model state, img->step, while the model moves on).
    bool ready = img && img->finest && img->view_version == view.target.version &&
                 (w.training || img->step == w.stats.step);
    for (int slot = 0; slot < 2; ++slot) {
      if (!state.picks[slot].active) continue;
      const auto& r = w.inspect[slot];
      ready = ready && r && (w.training || r->step == w.stats.step);
    }
    if (const GridSliceSettings& want = state.grid_slice; want.open) {  // --grid-slice: this plane, this model
      const auto& g = w.grid_slice;
      ready = ready && g && g->request.level == want.level && g->request.axis == want.axis &&
              g->request.offset == want.offset && g->request.size == want.size &&
              (w.training || g->step == w.stats.step);
    }
    if (ready) phase_ = Phase::Tail;
  }
}

void ScriptedRun::frame_done() {
  const Clock::time_point now = Clock::now();
  switch (phase_) {
    case Phase::Frames:
      if (timing_) frame_seconds_.push_back(std::chrono::duration<double>(now - last_frame_).count());
      timing_ = true;
      if (--frames_left_ <= 0) phase_ = Phase::Settling;
      break;
    case Phase::Tail:
      if (--tail_left_ <= 0) phase_ = Phase::Screenshot;
      break;
    case Phase::Screenshot:
      phase_ = Phase::Done;
      break;
    default:
      break;
  }
  last_frame_ = now;
}

void ScriptedRun::write_frame_times(const std::string& path, const WorkerState& w) const {
  std::vector<double> ms;
  for (double s : frame_seconds_) ms.push_back(1000.0 * s);
  double sum = 0.0;
  for (double v : ms) sum += v;
  nlohmann::ordered_json j;
  j["frames"] = ms.size();
  j["median_ms"] = percentile(ms, 0.5);
  j["p95_ms"] = percentile(ms, 0.95);
  j["mean_ms"] = ms.empty() ? 0.0 : sum / ms.size();
  j["max_ms"] = ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end());
  j["training"] = w.training;
  j["train_threads"] = w.train_threads;
  j["steps_during_frames"] = steps_at_frames_end_ - steps_at_frames_start_;
  j["train_seconds_during_frames"] = train_seconds_at_end_ - train_seconds_at_start_;
  j["wall_seconds_of_frames"] = sum / 1000.0;
  j["step_at_end"] = w.stats.step;
  j["load_average_at_end"] = load_average();
  j["frame_ms"] = ms;
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  if (!out) throw InputError(path, "", "cannot write the frame times");
}

}  // namespace nerds::viewer
