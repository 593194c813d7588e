// NeRF-W (Martin-Brualla et al. 2021): the appearance renders use, one training image's code or
// two blended (Sec. 4.1, Fig. 8), and the training image whose transient code the transient,
// static and uncertainty modes show. Only for a model with appearance codes or the transient head.
#include <imgui.h>

#include <string>

#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace {

// A combo of the training images, with "mean" for -1. Returns whether it changed.
bool image_combo(const char* label, int* image, int images) {
  const std::string now = *image < 0 ? std::string("mean of all") : "train " + std::to_string(*image);
  bool changed = false;
  ImGui::SetNextItemWidth(140.f);
  if (ImGui::BeginCombo(label, now.c_str())) {
    for (int i = -1; i < images; ++i) {
      const std::string name = i < 0 ? std::string("mean of all") : "train " + std::to_string(i);
      if (ImGui::Selectable(name.c_str(), i == *image)) {
        *image = i;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

}  // namespace

void appearance_panel(PanelContext& c) {
  const SceneInfo* scene = c.worker.scene.get();
  if (!scene || !scene->train) return;
  const bool codes = scene->appearance_dim > 0;
  const bool transient = scene->layer_unavailable.size() > static_cast<size_t>(RenderLayer::Transient) &&
                         scene->layer_unavailable[static_cast<int>(RenderLayer::Transient)].empty();
  if (!codes && !transient) return;
  if (!ImGui::CollapsingHeader("Appearance (NeRF-W)", ImGuiTreeNodeFlags_DefaultOpen)) return;
  AppearanceChoice& a = c.state.view.appearance;
  const AppearanceChoice before = a;
  const int images = static_cast<int>(scene->train->frames.size());
  image_combo("image A", &a.image_a, images);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(codes ? "whose appearance code the renders use%s" : "whose transient code the modes show%s",
                      transient && codes ? " (and whose transient code the transient modes show)" : "");
  if (codes) {
    image_combo("image B", &a.image_b, images);
    ImGui::SetNextItemWidth(140.f);
    ImGui::SliderFloat("blend A-B", &a.blend, 0.f, 1.f, "%.2f");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("code = (1 - blend) A + blend B");
  }
  if (a != before) c.commands.push(cmd::SetAppearance{a});
  if (c.state.view.dataset_view.active() && c.state.view.dataset_view.split == "train" &&
      ImGui::Button("use this view's image")) {
    a.image_a = c.state.view.dataset_view.index;
    a.blend = 0.f;
    c.commands.push(cmd::SetAppearance{a});
  }
}

}  // namespace nerds::viewer
