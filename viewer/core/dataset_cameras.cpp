#include "viewer/core/dataset_cameras.h"

#include "viewer/core/view_geometry.h"

namespace nerds::viewer {

const Dataset* dataset_split(const SceneInfo& scene, const std::string& split) {
  if (split == "train") return scene.train.get();
  if (split == "test") return scene.test.get();
  return nullptr;
}

const Frame* dataset_frame(const SceneInfo& scene, const DatasetView& view) {
  const Dataset* d = view.active() ? dataset_split(scene, view.split) : nullptr;
  if (!d || view.index >= static_cast<int>(d->frames.size())) return nullptr;
  return &d->frames[view.index];
}

void snap_to_dataset_view(ViewerState& state, const SceneInfo& scene, const DatasetView& view) {
  const Frame* f = dataset_frame(scene, view);
  if (!f) {
    state.view.dataset_view = DatasetView{};
    return;
  }
  state.view.dataset_view = view;
  OrbitState s = state.camera.state();
  s.fov_deg = fov_y_deg_of(f->intrinsics);  // leaving the snap keeps the dataset camera's zoom
  state.camera.set_state(s);
  state.camera.look_from(f->pose, make_vec3(0.5f, 0.5f, 0.5f));
}

DatasetView step_dataset_view(const SceneInfo& scene, const DatasetView& from, int direction) {
  const Dataset* d = from.active() ? dataset_split(scene, from.split) : nullptr;
  if (!d || d->frames.empty())
    return scene.train && !scene.train->frames.empty() ? DatasetView{"train", 0} : DatasetView{};
  const int n = static_cast<int>(d->frames.size());
  return {from.split, ((from.index + direction) % n + n) % n};
}

}  // namespace nerds::viewer
