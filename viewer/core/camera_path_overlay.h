// The camera path drawn over the scene: a frustum at each key (the selected one in its own
// color) and the spline between them as a polyline, in the engine's frame.
#pragma once

#include "viewer/core/camera_path_editor.h"
#include "viewer/core/overlay_geometry.h"

namespace nerds::viewer {

void add_camera_path_lines(LineSet& lines, const CameraPathEditor& e, const Dataset& train, float frustum_depth,
                           LineColor keys, LineColor selected, LineColor curve);

}  // namespace nerds::viewer
