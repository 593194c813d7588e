// Camera: field of view, back to the start, and the dataset cameras (snap to one, step
// through them with [ and ]).
#include <imgui.h>

#include <algorithm>

#include "viewer/core/dataset_cameras.h"
#include "viewer/panels/panels.h"

namespace nerds::viewer {

void camera_panel(PanelContext& c) {
  ImGui::SetNextItemOpen(c.state.view.panels.camera);
  c.state.view.panels.camera = ImGui::CollapsingHeader("Camera");
  if (!c.state.view.panels.camera) return;
  ViewerState& s = c.state;
  OrbitState orbit = s.camera.state();
  if (ImGui::SliderFloat("field of view", &orbit.fov_deg, 10.f, 120.f, "%.0f deg")) {
    s.camera.set_state(orbit);
    s.view.dataset_view = DatasetView{};
  }
  if (ImGui::Button("Reset camera")) {
    s.camera.reset();
    s.view.dataset_view = DatasetView{};
  }
  ImGui::SameLine();
  ImGui::TextDisabled("(mouse and keys)");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "left drag: orbit   right or middle drag: pan   wheel: zoom\n"
        "W A S D, Q E: fly (Shift: faster)   [ ]: dataset cameras   Esc: free camera\n"
        "click: inspect ray A   Shift+click: ray B");

  const SceneInfo* scene = c.worker.scene.get();
  if (!scene) return;
  const DatasetView& v = s.view.dataset_view;
  int split = v.split == "test" ? 1 : 0;
  const Dataset* d = dataset_split(*scene, split ? "test" : "train");
  const int count = d ? static_cast<int>(d->frames.size()) : 0;
  ImGui::Text("dataset camera: %s",
              v.active() ? (v.split + " " + std::to_string(v.index)).c_str() : "none (free camera)");
  ImGui::SetNextItemWidth(110.f);
  if (ImGui::Combo("##split", &split, "train\0test\0")) {
    snap_to_dataset_view(s, *scene, {split ? "test" : "train", 0});
  }
  ImGui::SameLine();
  if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) snap_to_dataset_view(s, *scene, step_dataset_view(*scene, v, -1));
  ImGui::SameLine();
  int index = v.active() ? v.index : 0;
  ImGui::SetNextItemWidth(60.f);
  if (ImGui::InputInt("##index", &index, 0) && count > 0)
    snap_to_dataset_view(s, *scene, {split ? "test" : "train", std::clamp(index, 0, count - 1)});
  ImGui::SameLine();
  if (ImGui::ArrowButton("##next", ImGuiDir_Right)) snap_to_dataset_view(s, *scene, step_dataset_view(*scene, v, 1));
  ImGui::SameLine();
  ImGui::TextDisabled("of %d  [ ]", count);
  if (v.active() && ImGui::Button("Free camera")) s.view.dataset_view = DatasetView{};
}

}  // namespace nerds::viewer
