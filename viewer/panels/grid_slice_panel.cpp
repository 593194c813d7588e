// The model's internal state, Instant-NGP's grid: one level's features on an axis-aligned
// plane through the scene box (Engine::grid_slice), kept up to date while training. A slider
// picks the level, buttons the plane's normal, a slider where it cuts the box; the colours
// are grid_slice_colors.h's (each channel normalised by its 99th percentile of |value|). In
// compare mode both arms are sliced (the command goes to both) and drawn A | B.
#include <imgui.h>

#include <algorithm>

#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace {

const char* const kAxisNames[3] = {"x", "y", "z"};

cmd::SliceGrid request_of(const GridSliceSettings& g) {
  cmd::SliceGrid r;
  r.on = g.open;
  r.level = g.level;
  r.axis = g.axis;
  r.offset = g.offset;
  r.size = g.size;
  return r;
}

}  // namespace

void grid_slice_panel(PanelContext& c) {
  GridSliceSettings& g = c.state.grid_slice;
  ImGui::SetNextItemOpen(g.open);
  g.open = ImGui::CollapsingHeader("Hash grid slice");
  if (g.open && c.worker.ready) {
    ImGui::PushTextWrapPos(0.f);  // the column is narrow: wrap every line at its edge
    const auto& result = c.worker.grid_slice;
    const int levels = result && result->slice.levels > 0 ? result->slice.levels : g.level + 1;
    ImGui::SetNextItemWidth(160.f);
    ImGui::SliderInt("level", &g.level, 0, std::max(levels - 1, 0));
    g.level = std::clamp(g.level, 0, std::max(levels - 1, 0));
    ImGui::TextUnformatted("plane normal");
    for (int a = 0; a < 3; ++a) {
      ImGui::SameLine();
      ImGui::RadioButton(kAxisNames[a], &g.axis, a);
    }
    ImGui::SetNextItemWidth(160.f);
    ImGui::SliderFloat("offset", &g.offset, 0.f, 1.f, "%.3f of the box");
    ImGui::SetNextItemWidth(160.f);
    ImGui::SliderInt("samples", &g.size, 32, 512, "%d a side");
    if (result && !result->note.empty()) {
      ImGui::TextWrapped("No slice: %s", result->note.c_str());
    } else if (result && c.display.has_grid_slice) {
      const GridSlice& s = result->slice;
      int first = 0, second = 0;
      grid_slice_axes(s.axis, &first, &second);
      ImGui::TextDisabled("level %d of %d: %d vertices a side, %s", s.level, s.levels, s.resolution,
                          s.hashed ? "hashed" : "dense (1:1)");
      ImGui::TextDisabled("plane %s = %.3f, model at step %d", kAxisNames[s.axis], s.offset, result->step);
      const float avail = ImGui::GetContentRegionAvail().x;
      if (c.arm_b && c.display_b) {
        // Compare mode: both arms' slices of the same plane and level, A | B.
        const float side = std::min(0.5f * avail - 4.f, 240.f);
        ImGui::BeginGroup();
        ImGui::TextUnformatted("A");
        ImGui::Image(c.display.grid_slice.imgui_id, ImVec2(side, side));
        ImGui::EndGroup();
        ImGui::SameLine();
        ImGui::BeginGroup();
        const auto& b = c.arm_b->grid_slice;
        if (b && !b->note.empty()) {
          ImGui::TextUnformatted("B");
          ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
          ImGui::TextWrapped("no slice: %s", b->note.c_str());
          ImGui::PopTextWrapPos();
        } else if (b && c.display_b->has_grid_slice) {
          ImGui::Text("B: level %d/%d, step %d", b->slice.level, b->slice.levels, b->step);
          ImGui::Image(c.display_b->grid_slice.imgui_id, ImVec2(side, side));
        } else {
          ImGui::TextDisabled("B: slicing ...");
        }
        ImGui::EndGroup();
      } else {
        const float side = std::min(avail, 320.f);
        ImGui::Image(c.display.grid_slice.imgui_id, ImVec2(side, side));
      }
      ImGui::TextDisabled("%s to the right, %s up", kAxisNames[first], kAxisNames[second]);
      const std::vector<float>& k = c.display.grid_slice_scale;
      if (s.features == 2 && k.size() == 2)
        ImGui::TextDisabled("red: feature 0 (+-%.2g), blue: feature 1 (+-%.2g); grey: both 0", k[0], k[1]);
      else if (s.features == 1 && k.size() == 1)
        ImGui::TextDisabled("feature 0: blue -%.2g, white 0, red +%.2g", k[0], k[0]);
      else if (k.size() == 3)
        ImGui::TextDisabled("features 0-2 as red, green, blue (+-%.2g, %.2g, %.2g)", k[0], k[1], k[2]);
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("each feature is divided by the 99th percentile of its |value| on this slice");
    } else {
      ImGui::TextDisabled("slicing ...");
    }
    ImGui::PopTextWrapPos();
  }
  if (!(g == c.state.grid_slice_sent)) {
    c.state.grid_slice_sent = g;
    c.commands.push(request_of(g));
  }
}

}  // namespace nerds::viewer
