// Mouse and keys over the view: orbit (left drag), pan (right or middle drag), zoom (wheel),
// fly (W A S D, Q E down/up, Shift faster), step through the dataset cameras ([ and ]),
// leave a dataset camera (Escape), and pick a ray for the inspector (a click: ray A; with
// Shift: ray B). Whatever ImGui wants (io.WantCaptureMouse / WantCaptureKeyboard) is left to it.
#pragma once

#include "viewer/core/command_queue.h"
#include "viewer/core/viewer_state.h"
#include "viewer/ui/view_tracker.h"

namespace nerds::viewer {

// A mouse press on the view, until its release: a click unless it moved.
struct MouseGesture {
  bool pressed = false;
  bool dragged = false;
  float x = 0.f, y = 0.f;
};

// Returns true when the camera moved.
bool handle_view_input(ViewerState& state, MouseGesture& gesture, const SceneInfo* scene, const ViewTarget& view,
                       const Rect& view_rect, CommandQueue& commands);

// Snaps the camera to a dataset camera (or leaves the dataset cameras for an invalid one).
void snap_to_dataset_view(ViewerState& state, const SceneInfo& scene, const DatasetView& view);
// The next (+1) or previous (-1) dataset camera, wrapping within the split; from a free
// camera, the first training camera.
DatasetView step_dataset_view(const SceneInfo& scene, const DatasetView& from, int direction);

// Sends the inspector request for pick `slot` (its point of the current view).
void send_pick(ViewerState& state, int slot, const ViewTarget& view, CommandQueue& commands);

}  // namespace nerds::viewer
