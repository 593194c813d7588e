// Mouse and keys over the view: orbit (left drag), pan (right or middle drag), zoom (wheel),
// fly (W A S D, Q E down/up, Shift faster), step through the dataset cameras ([ and ]),
// leave a dataset camera (Escape), and pick a ray for the inspector (a click: ray A; with
// Shift: ray B). Whatever ImGui wants (io.WantCaptureMouse / WantCaptureKeyboard) is left to it.
#pragma once

#include "viewer/core/command_queue.h"
#include "viewer/core/view_tracker.h"
#include "viewer/core/viewer_state.h"

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

// Sends the inspector request for pick `slot` (its point of the current view).
void send_pick(ViewerState& state, int slot, const ViewTarget& view, CommandQueue& commands);

}  // namespace nerds::viewer
