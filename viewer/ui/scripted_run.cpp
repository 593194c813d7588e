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

bool ScriptedRun::arm_ready(const WorkerState& w, const ViewerState& state, const ViewTarget& view) const {
  const auto& img = w.image;
  // Paused: the full-size image of this very model. Training: any full-size image of this
  // view (each shows one model state, img->step, while the model moves on).
  bool ready =
      img && img->finest && img->view_version == view.target.version && (w.training || img->step == w.stats.step);
  for (int slot = 0; slot < 2; ++slot) {
    if (!state.picks[slot].active) continue;
    const auto& r = w.inspect[slot];
    ready = ready && r && (w.training || r->step == w.stats.step);
  }
  if (const GridSliceSettings& want = state.grid_slice; want.open) {  // --grid-slice: this plane, this model
    const auto& g = w.grid_slice;
    ready = ready && g && g->request.level == want.level && g->request.axis == want.axis &&
            g->request.offset == want.offset && g->request.size == want.size && (w.training || g->step == w.stats.step);
  }
  if (test_scores_) ready = ready && w.test_score;
  return ready;
}

void ScriptedRun::observe(const std::vector<const WorkerState*>& arms, const ViewerState& state,
                          const ViewTarget& view) {
  if (finished()) return;
  for (const WorkerState* w : arms)
    if (!w->ready && !w->error.empty()) return fail(w->error);
  const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
  if (elapsed > options_.timeout_seconds) {
    const char* doing = phase_ == Phase::Starting ? "opening the scene and training to the step"
                        : phase_ == Phase::Frames ? "drawing frames"
                                                  : "waiting for the full-size render";
    return fail("timed out after " + std::to_string(static_cast<int>(elapsed)) + " s " + doing);
  }
  bool at_step = view.valid;
  for (const WorkerState* w : arms) at_step = at_step && w->ready && w->stats.step >= target_step_ && w->train_to == 0;
  if (phase_ == Phase::Starting && at_step) {
    phase_ = Phase::Frames;
    counters_.assign(arms.size(), ArmCounters{});
    for (size_t i = 0; i < arms.size(); ++i) {
      counters_[i].steps_start = arms[i]->stats.step;
      counters_[i].train_seconds_start = arms[i]->stats.train_seconds;
      counters_[i].samples_start = arms[i]->stats.used_samples;
    }
  }
  if (phase_ == Phase::Settling && !counted_end_) {
    counted_end_ = true;
    for (size_t i = 0; i < arms.size() && i < counters_.size(); ++i) {
      counters_[i].steps_end = arms[i]->stats.step;
      counters_[i].train_seconds_end = arms[i]->stats.train_seconds;
      counters_[i].samples_end = arms[i]->stats.used_samples;
    }
  }
  if (phase_ == Phase::Settling) {
    bool ready = true;
    for (const WorkerState* w : arms) ready = ready && arm_ready(*w, state, view);
    if (ready) phase_ = Phase::Tail;
  }
}

void ScriptedRun::check_gl_error(unsigned error) {
  if (error == 0 || finished()) return;
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%04x", error);
  fail(std::string("OpenGL error ") + hex + " after a frame");
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

void ScriptedRun::write_frame_times(const std::string& path, const std::vector<const WorkerState*>& arms) const {
  std::vector<double> ms;
  for (double s : frame_seconds_) ms.push_back(1000.0 * s);
  double sum = 0.0;
  for (double v : ms) sum += v;
  const WorkerState& w = *arms.front();
  const double wall = sum / 1000.0;
  nlohmann::ordered_json j;
  j["frames"] = ms.size();
  j["median_ms"] = percentile(ms, 0.5);
  j["p95_ms"] = percentile(ms, 0.95);
  j["mean_ms"] = ms.empty() ? 0.0 : sum / ms.size();
  j["max_ms"] = ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end());
  j["training"] = w.training;
  j["train_threads"] = w.train_threads;
  const ArmCounters none;
  const ArmCounters& c = counters_.empty() ? none : counters_.front();
  j["steps_during_frames"] = c.steps_end - c.steps_start;
  j["train_seconds_during_frames"] = c.train_seconds_end - c.train_seconds_start;
  j["wall_seconds_of_frames"] = wall;
  j["step_at_end"] = w.stats.step;
  j["load_average_at_end"] = load_average();
  // Each model's samples per second of wall time while the frames were drawn (what a second
  // arm costs the first: compare with a single model's run).
  for (size_t i = 0; i < counters_.size() && i < arms.size(); ++i) {
    const ArmCounters& a = counters_[i];
    j["arms"].push_back({{"steps_during_frames", a.steps_end - a.steps_start},
                         {"train_seconds_during_frames", a.train_seconds_end - a.train_seconds_start},
                         {"samples_during_frames", a.samples_end - a.samples_start},
                         {"samples_per_second", wall > 0.0 ? (a.samples_end - a.samples_start) / wall : 0.0},
                         {"train_threads", arms[i]->train_threads}});
  }
  j["frame_ms"] = ms;
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  if (!out) throw InputError(path, "", "cannot write the frame times");
}

}  // namespace nerds::viewer
