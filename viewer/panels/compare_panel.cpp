// Compare mode's section: how the two arms are drawn (side by side, split by a wipe line, or
// |A - B|), each arm's setting, step and PSNR, the card's toggle to compare (choosing another
// restarts both arms), its guided steps (Previous / Next), then the card itself.
#include <imgui.h>

#include <cmath>
#include <string>

#include "renderer/techniques/core/paper_cards.h"
#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace {

// The arm's PSNR: against the dataset view's ground truth when the view is one, else the mean
// over the test views when they were scored (the "Score test views" button), else the
// training batches' estimate.
std::string arm_psnr(const WorkerState& w, const DisplayInfo& d) {
  char buf[96];
  if (d.has_error && d.error_mse > 0.0) {
    std::snprintf(buf, sizeof buf, "PSNR %.2f dB (this view, step %d)", psnr_of_mse(d.error_mse), d.error_step);
    return buf;
  }
  if (const auto& t = w.test_score; t && t->views > 0) {
    std::snprintf(buf, sizeof buf, "PSNR %.2f dB (%d test views, step %d)", t->psnr, t->views, t->step);
    return buf;
  }
  const double mse = std::isnan(w.stats.last_mse) ? w.stats.last_loss : w.stats.last_mse;
  if (!(mse > 0.0)) return "PSNR -";
  std::snprintf(buf, sizeof buf, "PSNR~%.2f dB (training batches)", psnr_of_mse(mse));
  return buf;
}

void arm_lines(const CompareMode& m, int arm, const WorkerState& w, const DisplayInfo& d) {
  wrapped(arm_title(m, arm));
  ImGui::Indent();
  if (!w.ready) {
    ImGui::TextDisabled("%s", w.error.empty() ? w.status.c_str() : w.error.c_str());
  } else {
    char line[64];
    std::snprintf(line, sizeof line, "step %d   %.1f s   ", w.stats.step, w.stats.train_seconds);
    wrapped(line + arm_psnr(w, d));
    if (!w.error.empty()) ImGui::TextColored(ImVec4(1.f, 0.4f, 0.4f, 1.f), "%s", w.error.c_str());
  }
  ImGui::Unindent();
}

}  // namespace

void compare_panel(PanelContext& c, const CompareMode& m, const WorkerState& b, const DisplayInfo& display_b,
                   float difference_span) {
  if (ImGui::CollapsingHeader("Compare", ImGuiTreeNodeFlags_DefaultOpen)) {
    const ComparePlan& p = m.plan;
    wrapped(p.toggle.param + " = " + p.toggle.on + " (B) vs " + p.toggle.off + " (A): " + p.toggle.what);
    int layout = static_cast<int>(c.state.compare.layout);
    for (int i = 0; i < kCompareLayoutCount; ++i) {
      if (i) ImGui::SameLine();
      ImGui::RadioButton(compare_layout_name(static_cast<CompareLayout>(i)), &layout, i);
    }
    c.state.compare.layout = static_cast<CompareLayout>(layout);
    if (c.state.compare.layout == CompareLayout::Split)
      ImGui::SliderFloat("wipe line", &c.state.compare.split, 0.f, 1.f, "%.2f");
    if (c.state.compare.layout == CompareLayout::Difference)
      ImGui::TextDisabled("|A - B| of the %s images, Turbo from 0 to %.3f", render_mode_name(c.state.view.mode),
                          difference_span);
    arm_lines(m, 0, c.worker, c.display);
    arm_lines(m, 1, b, display_b);
    // Both arms scored on the same views, each at the step it has reached (the panel's command
    // goes to both).
    if (ImGui::Button("Score test views")) c.commands.push(cmd::ScoreTestViews{});
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("each arm's mean PSNR over the data's test views, at its current step (takes seconds)");
    if (const auto& t = c.worker.test_score; t && !t->note.empty()) ImGui::TextDisabled("%s", t->note.c_str());
    if (!p.toggle.paper.empty()) wrapped("paper: " + p.toggle.paper);
    ImGui::TextDisabled("data: %s", m.data_dir.c_str());

    const PaperCard* card = p.card_id.empty() ? nullptr : find_paper_card(p.card_id);
    if (card && card->toggles.size() > 1) {
      const std::string current = p.toggle_index >= 0 ? p.toggle.param + "=" + p.toggle.off : "--compare";
      if (ImGui::BeginCombo("toggle", current.c_str())) {
        for (size_t i = 0; i < card->toggles.size(); ++i) {
          const PaperToggle& t = card->toggles[i];
          const std::string choice = t.param + "=" + t.off;
          if (ImGui::Selectable(choice.c_str(), static_cast<int>(i) == p.toggle_index) &&
              static_cast<int>(i) != p.toggle_index) {
            c.state.toggle_request = choice;
            c.state.toggle_requested = true;
          }
          if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.what.c_str());
        }
        ImGui::EndCombo();
      }
    }
    if (card && !card->steps.empty()) {
      ImGui::Spacing();
      const int n = static_cast<int>(card->steps.size());
      const int k = c.state.guided_step;
      ImGui::BeginDisabled(k <= 0);
      if (ImGui::Button("Previous")) c.state.guided_step_request = k - 1;
      ImGui::EndDisabled();
      ImGui::SameLine();
      ImGui::BeginDisabled(k >= n - 1);
      if (ImGui::Button("Next")) c.state.guided_step_request = k + 1;
      ImGui::EndDisabled();
      ImGui::SameLine();
      if (k >= 0)
        ImGui::Text("guided step %d of %d  (keys: , and .)", k + 1, n);
      else
        ImGui::Text("%d guided steps: Next starts  (keys: , and .)", n);
      if (k >= 0 && k < n) wrapped(std::to_string(k + 1) + ". " + card->steps[static_cast<size_t>(k)].text);
    }
    ImGui::Separator();
  }
  if (const PaperCard* card = m.plan.card_id.empty() ? nullptr : find_paper_card(m.plan.card_id)) paper_panel(c, *card);
}

}  // namespace nerds::viewer
