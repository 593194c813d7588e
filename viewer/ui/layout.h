// Where things go in the window: a panel column on each side and the view between them.
// Computed every frame from the window's size (nothing to drag or remember), which also makes
// screenshots reproducible.
#pragma once

#include "viewer/core/view_geometry.h"

namespace nerds::viewer {

struct Layout {
  Rect left, right, view;
};

Layout compute_layout(float width, float height);

}  // namespace nerds::viewer
