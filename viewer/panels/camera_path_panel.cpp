// Camera path for slides: keys from the current view (add, remove, reorder, time), played
// back along the spline, saved and loaded as JSON for `nerds render --path`.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "viewer/core/camera_path_editor.h"
#include "viewer/panels/panels.h"

namespace nerds::viewer {

void camera_path_panel(PanelContext& c) {
  CameraPathEditor& e = c.state.camera_path;
  ImGui::SetNextItemOpen(e.open);
  e.open = ImGui::CollapsingHeader("Camera path");
  if (!e.open) return;
  const SceneInfo* scene = c.worker.scene.get();
  if (!scene || !scene->train) {
    ImGui::TextDisabled("(no scene open)");
    return;
  }
  const Dataset& train = *scene->train;
  ViewerState& s = c.state;

  if (ImGui::Button("Add key")) add_camera_key(e, s.camera.pose(), s.camera.state().fov_deg, train);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("the current view, after the selected key");
  ImGui::SameLine();
  if (ImGui::Button("Remove")) remove_selected_key(e);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##key_up", ImGuiDir_Up)) move_selected_key(e, -1);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##key_down", ImGuiDir_Down)) move_selected_key(e, 1);

  const int count = static_cast<int>(e.path.keys.size());
  if (ImGui::BeginListBox("##keys", ImVec2(-1.f, ImGui::GetTextLineHeightWithSpacing() * 5.5f))) {
    for (int i = 0; i < count; ++i) {
      const CameraKey& k = e.path.keys[i];
      char label[96];
      std::snprintf(label, sizeof label, "%d. at %.1f s   fov %.0f deg%s##key%d", i + 1, key_seconds(e.path, i),
                    k.fov_y_deg, i + 1 == count ? "   (end)" : "", i);
      if (ImGui::Selectable(label, e.selected == i)) e.selected = i;
      if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        stop_playing(e);
        place_camera_on_path(s.camera, e.path, key_seconds(e.path, i), train);
        s.view.dataset_view = DatasetView{};
      }
    }
    ImGui::EndListBox();
  }
  if (e.selected >= 0 && e.selected < count) {
    ImGui::SetNextItemWidth(120.f);
    ImGui::DragFloat("seconds to the next key", &e.path.keys[e.selected].seconds, 0.05f, 0.f, 600.f, "%.2f s");
  }
  ImGui::SetNextItemWidth(120.f);
  ImGui::DragFloat("for new keys", &e.new_key_seconds, 0.05f, 0.f, 600.f, "%.2f s");

  if (!e.playing) {
    if (ImGui::Button("Play") && count >= 2) start_playing(e);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the camera follows the path from its first key (needs two)");
  } else if (ImGui::Button("Stop")) {
    stop_playing(e);
  }
  ImGui::SameLine();
  ImGui::Text("%.1f / %.1f s", e.play_seconds, path_seconds(e.path));

  ImGui::InputText("##path_file", &e.file);
  ImGui::SameLine();
  if (ImGui::Button("Save##path")) s.message = save_camera_path(e);
  ImGui::SameLine();
  if (ImGui::Button("Load##path")) s.message = load_camera_path(e);
  ImGui::TextDisabled("nerds render --run RUN --path FILE --video FILE.mp4");
}

}  // namespace nerds::viewer
