// The top of the left column: what the engine's worker is doing, and the last error.
#include <imgui.h>

#include "viewer/panels/panels.h"

namespace nerds::viewer {

void status_panel(PanelContext& c) {
  const WorkerState& w = c.worker;
  ImGui::TextUnformatted("NerdsNeRF viewer");
  ImGui::SameLine();
  ImGui::TextDisabled("(%s)", w.ready ? (w.training || w.train_to > 0 ? "training" : "paused") : w.status.c_str());
  if (!w.ready && w.error.empty()) ImGui::TextWrapped("%s ...", w.status.c_str());
  if (!w.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    ImGui::TextWrapped("error: %s", w.error.c_str());
    ImGui::PopStyleColor();
  }
  if (!c.state.message.empty()) ImGui::TextWrapped("%s", c.state.message.c_str());
  if (w.scene) {
    ImGui::TextDisabled("%s", w.scene->data_dir.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", w.scene->data_dir.c_str());
  }
  ImGui::Separator();
}

}  // namespace nerds::viewer
