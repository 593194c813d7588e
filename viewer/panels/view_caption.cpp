// The view's caption, over the bottom-left corner of the render: the training step of the
// model state the image on screen shows (every band of it comes from that one state), its
// size, and the step training has reached when that is newer.
#include <imgui.h>

#include <cstdio>

#include "viewer/panels/panels.h"

namespace nerds::viewer {

void view_caption(PanelContext& c) {
  const auto& img = c.display.image;
  if (!img || !c.view.valid) return;
  char text[160];
  int n = std::snprintf(text, sizeof text, "model at step %d", img->step);
  if (img->divisor > 1) n += std::snprintf(text + n, sizeof text - n, ", 1/%d size", img->divisor);
  if (c.worker.stats.step != img->step)
    std::snprintf(text + n, sizeof text - n, " (training at step %d)", c.worker.stats.step);
  const Rect& r = c.view.image_rect;
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 at(r.x + 6.f, r.y + r.h - size.y - 6.f);
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  dl->AddRectFilled(ImVec2(at.x - 3.f, at.y - 2.f), ImVec2(at.x + size.x + 3.f, at.y + size.y + 2.f),
                    IM_COL32(0, 0, 0, 150), 3.f);
  dl->AddText(at, IM_COL32(235, 235, 235, 255), text);
}

}  // namespace nerds::viewer
