// A dataset camera's ground truth beside the error of the newest full-size render against it
// (the render itself is the view), with the PSNR.
#include <imgui.h>

#include <algorithm>

#include "viewer/core/training_history.h"
#include "viewer/panels/panels.h"

namespace nerds::viewer {

void dataset_panel(PanelContext& c) {
  ImGui::SetNextItemOpen(c.state.view.panels.dataset);
  c.state.view.panels.dataset = ImGui::CollapsingHeader("Dataset view");
  if (!c.state.view.panels.dataset) return;
  const DisplayInfo& d = c.display;
  if (!c.view.valid || !c.view.dataset_view.active() || !d.has_truth) {
    ImGui::TextWrapped(
        "Snap to a training or test camera ([ ] or the Camera section) to see its ground truth "
        "and the error of the render.");
    return;
  }
  ImGui::Text("%s camera %d", c.view.dataset_view.split.c_str(), c.view.dataset_view.index);
  const float side = std::max(40.f, (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2.f);
  const float aspect = static_cast<float>(d.truth.height) / std::max(d.truth.width, 1);
  const ImVec2 size(side, side * aspect);
  ImGui::BeginGroup();
  ImGui::Image(d.truth.imgui_id, size);
  ImGui::TextDisabled("ground truth");
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  if (d.has_error) {
    ImGui::Image(d.error.imgui_id, size);
    ImGui::TextDisabled("error, step %d", d.error_step);
  } else {
    ImGui::Dummy(size);
    ImGui::TextDisabled("error: rendering ...");
  }
  ImGui::EndGroup();
  if (d.has_error && d.error_mse >= 0.0) {
    ImGui::Text("PSNR %.2f dB", psnr_of_mse(d.error_mse));
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("the full-size render of this view against its ground truth, both over the background");
  }
}

}  // namespace nerds::viewer
