// The view the window shows this frame, as the worker must render it: the dataset camera the
// view is snapped to (its exact pose and intrinsics, letterboxed), or the free camera at the
// view's size times the render scale. Its version changes only when the camera, the size or
// the background or the render mode's layer does, so the worker restarts progressive
// rendering only then.
#pragma once

#include "viewer/core/progressive_render.h"
#include "viewer/core/view_geometry.h"
#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

struct ViewTarget {
  bool valid = false;
  RenderTarget target;
  DatasetView dataset_view;  // the dataset camera it is, if any
  Rect image_rect;           // where the image is drawn (window pixels)
};

class ViewTracker {
 public:
  const ViewTarget& update(const ViewerState& state, const SceneInfo* scene, const Rect& view_rect);
  const ViewTarget& current() const { return current_; }

 private:
  ViewTarget current_;
  uint64_t next_version_ = 1;
};

}  // namespace nerds::viewer
