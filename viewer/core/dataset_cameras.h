// The dataset's cameras as views: find the one a view names, snap the viewer's camera to it,
// step to the next one. The camera panel, the keys over the view and the view tracker share them.
#pragma once

#include <string>

#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

// The frames of a split ("train" or "test"); null when the scene has none.
const Dataset* dataset_split(const SceneInfo& scene, const std::string& split);
// The dataset camera a view names, or null when it does not exist in the scene.
const Frame* dataset_frame(const SceneInfo& scene, const DatasetView& view);

// Snaps the camera to a dataset camera (or leaves the dataset cameras for an invalid one).
void snap_to_dataset_view(ViewerState& state, const SceneInfo& scene, const DatasetView& view);
// The next (+1) or previous (-1) dataset camera, wrapping within the split; from a free
// camera, the first training camera.
DatasetView step_dataset_view(const SceneInfo& scene, const DatasetView& from, int direction);

}  // namespace nerds::viewer
