// The panels: each a small function drawing one section from the worker's published state
// and the viewer's state, changing the viewer's state and pushing commands for the engine.
// None keeps state of its own.
#pragma once

#include <string>

#include "viewer/core/command_queue.h"
#include "viewer/core/compare_mode.h"
#include "viewer/core/display_info.h"
#include "viewer/core/view_tracker.h"
#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds {
struct PaperCard;
}

namespace nerds::viewer {

struct PanelContext {
  const WorkerState& worker;
  ViewerState& state;
  CommandQueue& commands;
  const DisplayInfo& display;
  const ViewTarget& view;
  const WorkerState* arm_b = nullptr;     // compare mode: arm B (`worker` is arm A)
  const DisplayInfo* display_b = nullptr;  // and what the window shows of it
};

// Text that wraps at the column's edge (and is not a printf format: cards hold '%').
void wrapped(const std::string& text);

// Left column.
void status_panel(PanelContext& c);    // what the worker does, errors, notices
void training_panel(PanelContext& c);  // start / pause / step / reset, numbers and curves
void camera_panel(PanelContext& c);    // field of view, reset, dataset cameras
void camera_path_panel(PanelContext& c);  // keyframes for slides: edit, play, save, load
void render_panel(PanelContext& c);    // render mode, resolution, background, overlays, threads
void session_panel(PanelContext& c);   // screenshot, save and load a session
// Right column.
void dataset_panel(PanelContext& c);    // ground truth and error of a dataset camera
void inspector_panel(PanelContext& c);  // the samples along the picked rays
void technique_panel(PanelContext& c);  // the method's modules and parameters (generated)
void appearance_panel(PanelContext& c);  // NeRF-W: the appearance code renders use, the transient modes' image
void paper_panel(PanelContext& c, const PaperCard& card);
// Compare mode: how the arms are drawn, each arm's setting, step and PSNR, the card (when the
// plan has one) with its toggles to choose from, and its guided steps.
void compare_panel(PanelContext& c, const CompareMode& mode, const WorkerState& b, const DisplayInfo& display_b,
                   float difference_span);  // the card of --paper ID (read-only)
void grid_slice_panel(PanelContext& c);  // a level of the grid encoding on a plane through the box
// Over the view: the model step the image on screen shows.
void view_caption(PanelContext& c);

}  // namespace nerds::viewer
