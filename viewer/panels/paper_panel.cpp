// The paper card chosen with `nerds-view --paper ID` (papers/ID.json), read-only: title,
// authors, venue, the idea, the equations, the toggles (each with the value the running model
// has, to flip in the Techniques section) and the paper's own numbers with their tables.
#include <imgui.h>

#include <string>

#include "renderer/techniques/core/paper_cards.h"
#include "viewer/panels/panels.h"

namespace nerds::viewer {

void wrapped(const std::string& text) {
  ImGui::PushTextWrapPos(0.f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
}

namespace {

// A section's name, dimmed.
void heading(const std::string& text) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  wrapped(text);
  ImGui::PopStyleColor();
}

// "on", "off" or the value itself: where the running model stands on a toggle.
std::string running_value(const PaperToggle& t, const WorkerState& w) {
  if (!w.scene || !w.scene->params.has(t.param)) return "not in this engine";
  const std::string value = format_param_value(w.scene->params.entry(t.param).value);
  if (value == t.on) return "on (" + value + ")";
  if (value == t.off) return "off (" + value + ")";
  return value;
}

}  // namespace

void paper_panel(PanelContext& c, const PaperCard& card) {
  if (!ImGui::CollapsingHeader("Paper", ImGuiTreeNodeFlags_DefaultOpen)) return;
  wrapped(card.title);
  std::string authors;
  for (const std::string& a : card.authors) authors += (authors.empty() ? "" : ", ") + a;
  heading(authors + ". " + card.venue + " " + std::to_string(card.year) + ". " + card.source);

  heading("Idea");
  wrapped(card.idea);
  heading("Equations");
  for (const std::string& e : card.equations) wrapped(e);
  heading("Toggles (flip them in the Techniques section; `nerds ablate --paper " + card.id +
          " --toggle PARAM` compares both settings)");
  for (const PaperToggle& t : card.toggles) {
    wrapped(t.param + " = " + t.on + " vs " + t.off + ": " + t.what);
    ImGui::Indent();
    ImGui::TextDisabled("running: %s", running_value(t, c.worker).c_str());
    for (const std::string& s : t.with) wrapped("both with " + s);
    for (const std::string& s : t.on_with) wrapped(t.on + " with " + s);
    for (const std::string& s : t.off_with) wrapped(t.off + " with " + s);
    if (!t.paper.empty()) wrapped("paper: " + t.paper);
    ImGui::Unindent();
  }
  heading("The paper's numbers");
  for (const PaperNumber& n : card.numbers) wrapped(n.what + ": " + n.value + " (" + n.source + ")");
  if (!card.departs.empty()) {
    heading("Where we depart from the paper");
    for (const std::string& d : card.departs) wrapped(d);
  }
  ImGui::TextDisabled("best sample scene: %s", card.scene.c_str());
  ImGui::Separator();
}

}  // namespace nerds::viewer
