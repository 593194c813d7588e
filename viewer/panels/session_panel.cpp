// Save and share: a screenshot of the window, and a session file (scene, method, parameters,
// camera, step; optionally the trained model beside it) to send to the group, or to open.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "viewer/panels/panels.h"

namespace nerds::viewer {

void session_panel(PanelContext& c) {
  ImGui::SetNextItemOpen(c.state.view.panels.session);
  c.state.view.panels.session = ImGui::CollapsingHeader("Save and share");
  if (!c.state.view.panels.session) return;
  ViewerState& s = c.state;
  ImGui::InputText("##shot", &s.screenshot_path);
  ImGui::SameLine();
  if (ImGui::Button("Screenshot")) s.screenshot_requested = true;
  ImGui::InputText("##session", &s.session_path);
  ImGui::SameLine();
  if (ImGui::Button("Save")) s.save_session_requested = true;
  ImGui::SameLine();
  if (ImGui::Button("Load")) s.load_session_requested = true;
  ImGui::Checkbox("with the trained model (a snapshot beside it)", &s.session_with_model);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "without it, opening the session retrains to its step (a small file to send);\n"
        "with it, the exact model comes along (tens to hundreds of MB)");
  if (!c.worker.notice.empty()) ImGui::TextDisabled("%s", c.worker.notice.c_str());
}

}  // namespace nerds::viewer
