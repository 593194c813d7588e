// What the view shows: the render mode (with its color map's range), the render's resolution
// and background, the overlays, and how many threads a training step takes.
#include <imgui.h>

#include <string>

#include "viewer/core/render_mode_layers.h"
#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace {

const char* mode_label(RenderMode m) {
  switch (m) {
    case RenderMode::Rgb:
      return "RGB";
    case RenderMode::Depth:
      return "Depth";
    case RenderMode::Opacity:
      return "Opacity";
    case RenderMode::Samples:
      return "Samples";
    case RenderMode::Error:
      return "Error";
    case RenderMode::Normals:
      return "Normals";
    case RenderMode::PredictedNormals:
      return "Pred. normals";
    case RenderMode::Diffuse:
      return "Diffuse";
    case RenderMode::Specular:
      return "Specular";
    case RenderMode::Static:
      return "Static";
    case RenderMode::Transient:
      return "Transient";
    case RenderMode::Uncertainty:
      return "Uncertainty";
  }
  return "?";
}

// What a layer mode shows (its tooltip when the model has it).
const char* mode_help(RenderMode m) {
  switch (m) {
    case RenderMode::Normals:
      return "the density field's normals -grad(density)/|grad|, weights-composited, as n*0.5+0.5";
    case RenderMode::PredictedNormals:
      return "Ref-NeRF's predicted normals n', weights-composited, as n*0.5+0.5";
    case RenderMode::Diffuse:
      return "Ref-NeRF's diffuse colour c_d, tone-mapped alone, composited over the background";
    case RenderMode::Specular:
      return "what Ref-NeRF's tinted specular s*c_s adds after the tone map (diffuse + specular = RGB)";
    case RenderMode::Static:
      return "NeRF-W: the static field's share of the chosen training image's colour (Eq. 10)";
    case RenderMode::Transient:
      return "NeRF-W: the transient field of the chosen training image (its transient code) over the background";
    case RenderMode::Uncertainty:
      return "NeRF-W: the rendered uncertainty beta of the chosen training image (Eq. 11), Turbo";
    default:
      return nullptr;
  }
}

}  // namespace

void render_panel(PanelContext& c) {
  ImGui::SetNextItemOpen(c.state.view.panels.render);
  c.state.view.panels.render = ImGui::CollapsingHeader("View");
  if (!c.state.view.panels.render) return;
  ViewSettings& v = c.state.view;
  for (int i = 0; i < kRenderModeCount; ++i) {
    if (i % 3 != 0) ImGui::SameLine();  // rows of three: the column is narrow
    const RenderMode m = static_cast<RenderMode>(i);
    // A mode the model cannot render (Ref-NeRF's without its head, NeRF-W's without the
    // transient head) stays visible but disabled, its tooltip saying why.
    const std::string why = c.worker.scene ? mode_unavailable(m, *c.worker.scene) : "";
    if (!why.empty()) ImGui::BeginDisabled();
    int mode = static_cast<int>(v.mode);
    if (ImGui::RadioButton(mode_label(m), &mode, i)) v.mode = static_cast<RenderMode>(mode);
    if (!why.empty()) ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
      if (!why.empty())
        ImGui::SetTooltip("not for this model: %s", why.c_str());
      else if (const char* help = mode_help(m))
        ImGui::SetTooltip("%s\n(rendered on the CPU beside the colour: slower)", help);
    }
  }
  const Colorized& colors = c.display.colors;
  switch (v.mode) {
    case RenderMode::Depth:
      ImGui::TextDisabled("depth %.3f (blue) to %.3f (red), scene units", colors.range[0], colors.range[1]);
      break;
    case RenderMode::Samples:
      ImGui::TextDisabled("samples per ray: 0 (blue) to %.0f (red)", colors.range[1]);
      break;
    case RenderMode::Error:
      ImGui::TextDisabled("mean |error| 0 (blue) to %.2f (red)", colors.range[1]);
      break;
    case RenderMode::Uncertainty:
      ImGui::TextDisabled("beta %.3f (blue) to %.3f (red)", colors.range[0], colors.range[1]);
      break;
    default:
      break;
  }
  if (!colors.note.empty()) ImGui::TextWrapped("%s", colors.note.c_str());
  if (const auto& img = c.display.image) {
    ImGui::TextDisabled("image %dx%d (1/%d), step %d, %.0f ms", img->intrinsics.width, img->intrinsics.height,
                        img->divisor, img->step, 1000.0 * img->seconds);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("every band of it rendered from the model at step %d (training was at %d to %d meanwhile);\n"
                        "copying the model for it took %.0f ms",
                        img->step, img->start_step, img->end_step, 1000.0 * img->freeze_seconds);
  }
  ImGui::SliderFloat("resolution", &v.render_scale, 0.1f, 1.f, "%.2f x view");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("full-size render / view pixels (dataset cameras: their own size)");
  ImGui::ColorEdit3("background", v.background, ImGuiColorEditFlags_NoInputs);
  Overlays& o = v.overlays;
  ImGui::Checkbox("cameras", &o.frustums);
  ImGui::SameLine();
  ImGui::Checkbox("box", &o.bbox);
  ImGui::SameLine();
  ImGui::Checkbox("rays", &o.rays);
  ImGui::SameLine();
  ImGui::Checkbox("occupancy", &o.occupancy);
  if (c.worker.scene && c.worker.scene->pose_refine) {  // BARF
    ImGui::Checkbox("noisy / refined / true cameras", &o.pose_frustums);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("the training cameras as given (orange), as refined by the model (green) and their true\n"
                        "poses (blue; transforms_train_true.json, aligned to the refined ones), in place of the\n"
                        "plain camera frustums");
  }
  if (o.occupancy) {
    ImGui::SetNextItemWidth(120.f);
    ImGui::SliderInt("cells/side", &o.occupancy_resolution, 8, 128);
    const int cascades = c.worker.occupancy ? c.worker.occupancy->cascades : 1;
    if (cascades > 1) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(80.f);
      ImGui::SliderInt("cascade", &o.occupancy_cascade, 0, cascades - 1);
    }
  }
  int threads = c.state.train_threads;
  ImGui::SetNextItemWidth(120.f);
  if (ImGui::SliderInt("train threads", &threads, 0, 8, threads == 0 ? "all" : "%d")) {
    c.state.train_threads = threads;
    c.commands.push(cmd::SetTrainThreads{threads});
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("OpenMP threads per training step (renders use all)");
}

}  // namespace nerds::viewer
