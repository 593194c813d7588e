// The session file of what the window shows now: the opened scene and run (from the worker's
// state) and the camera, view settings and picked rays (from the viewer's state).
#pragma once

#include "viewer/core/session.h"
#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

// `opened`: the session the scene was opened with (it keeps how a built-in scene is made).
Session capture_session(const Session& opened, const WorkerState& worker, const ViewerState& state);

}  // namespace nerds::viewer
