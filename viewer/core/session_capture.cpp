#include "viewer/core/session_capture.h"

namespace nerds::viewer {

Session capture_session(const Session& opened, const WorkerState& worker, const ViewerState& state) {
  Session s = opened;
  if (worker.scene) {
    s.data_dir = worker.scene->data_dir;
    s.method_name = worker.scene->method_name;
    s.params = worker.scene->params.to_json();
  }
  s.step = worker.stats.step;
  s.running = worker.training;
  // The snapshot the run started from (none after a reset): opening the session loads it and
  // trains on to the step, which reproduces this run.
  s.snapshot = worker.scene ? worker.scene->snapshot : "";
  s.threads = state.train_threads;
  s.camera = state.camera.state();
  s.view = state.view;
  s.inspect.clear();
  for (const RayPick& p : state.picks)
    if (p.active) s.inspect.push_back({p.u, p.v});
  s.camera_path.reset();
  if (!state.camera_path.path.keys.empty()) s.camera_path = state.camera_path.path;
  return s;
}

SessionCompare capture_compare(const CompareMode& mode, const WorkerState& arm_b, const ViewerState& state) {
  SessionCompare c;
  c.request = mode.request;
  c.view = state.compare;
  c.guided_step = state.guided_step;
  c.step_b = arm_b.stats.step;
  c.snapshot_b = arm_b.scene ? arm_b.scene->snapshot : "";
  return c;
}

}  // namespace nerds::viewer
