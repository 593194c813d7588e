// What the window shows of the worker's results, as the panels read it: the newest render in
// the chosen mode, and for a dataset camera its ground truth and the error of the newest
// full-size render against it. The window's Display (ui/display.h) fills it and owns the
// OpenGL textures; here they are only ImGui's handles, so the panels need no GL header.
#pragma once

#include <memory>
#include <vector>

#include "viewer/core/image_colors.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

// A texture as ImGui::Image draws it: its ImGui id (the OpenGL texture name) and its size.
struct ShownTexture {
  void* imgui_id = nullptr;
  int width = 0, height = 0;
};

struct DisplayInfo {
  std::shared_ptr<const RenderedImage> image;  // the one on screen (may lag behind the camera)
  bool image_is_current = false;               // it renders this frame's view
  Colorized colors;                            // its color map's range, error and notes (no pixels)
  // For a dataset camera: the ground truth, and the error of the newest full-size render.
  ShownTexture truth, error;
  bool has_truth = false, has_error = false;
  double error_mse = -1.0;  // of the full-size render
  int error_step = -1;      // the model step it was measured at
  // The grid slice (WorkerState::grid_slice) in colour (grid_slice_colors.h), and each
  // channel's value at full colour.
  ShownTexture grid_slice;
  bool has_grid_slice = false;
  std::vector<float> grid_slice_scale;
};

}  // namespace nerds::viewer
