// The session file of what the window shows now: the opened scene and run (from the worker's
// state) and the camera, view settings and picked rays (from the viewer's state).
#pragma once

#include "viewer/core/compare_mode.h"
#include "viewer/core/session.h"
#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

// `opened`: the session the scene was opened with (it keeps how a built-in scene is made).
Session capture_session(const Session& opened, const WorkerState& worker, const ViewerState& state);
// Compare mode's part: the request, arm B's step and snapshot (the one it started from; none
// after a reset), how the arms are drawn and the guided step. `worker` above is arm A.
SessionCompare capture_compare(const CompareMode& mode, const WorkerState& arm_b, const ViewerState& state);

}  // namespace nerds::viewer
