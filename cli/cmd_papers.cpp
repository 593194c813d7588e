// `nerds papers`: the paper cards (the files of papers/, read by renderer/techniques/
// paper_cards.cpp), one line each, or one card in full with `nerds papers NAME`; --json prints
// the cards in their files' form. Each toggle says whether the engine can run both of its
// settings yet (`nerds params` lists the parameters).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/cli_common.h"
#include "renderer/techniques/core/paper_cards.h"

namespace nerds::cli {

namespace {

namespace fs = std::filesystem;

constexpr size_t kTextWidth = 100;

struct PapersArgs {
  std::string name;
  bool json = false;
};

// Words of `text` on lines of at most kTextWidth columns, each starting with `indent`.
std::string wrapped(const std::string& text, const std::string& indent) {
  std::string out, line = indent;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (line.size() > indent.size() && line.size() + 1 + word.size() > kTextWidth) {
      out += line + "\n";
      line = indent + "  ";  // continuation lines hang under the first
    } else if (line.size() > indent.size() && line.back() != ' ') {
      line += " ";
    }
    line += word;
    start = end + 1;
  }
  return out + line + "\n";
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& item : items) s += (s.empty() ? "" : ", ") + item;
  return s;
}

// What a guided step sets, in a few words: "test 3, error, size 1/8, ray (50, 50), encoding.kind: both arms".
std::string step_settings(const PaperCard& c, const GuidedStep& s) {
  std::vector<std::string> parts;
  if (s.camera)
    parts.push_back(s.camera->is_dataset_view() ? s.camera->split + " " + std::to_string(s.camera->index) : "a pose");
  if (!s.mode.empty()) parts.push_back(s.mode);
  if (s.size && s.size->divisor > 0) parts.push_back("size 1/" + std::to_string(s.size->divisor));
  if (s.size && s.size->divisor == 0)
    parts.push_back("size " + std::to_string(s.size->width) + "x" + std::to_string(s.size->height));
  if (!s.rays.empty()) {
    std::string rays = s.rays.size() == 1 ? "ray" : "rays";
    for (const std::array<int, 2>& p : s.rays)
      rays += " (" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ")";
    parts.push_back(rays);
  }
  if (s.toggle) {
    const PaperToggle& t = c.toggles[static_cast<size_t>(s.toggle->index)];
    const std::string shown = s.toggle->show == "both" ? "both arms" : s.toggle->show == "on" ? t.on : t.off;
    parts.push_back(t.param + ": " + shown);
  }
  return joined(parts);
}

void print_card(const PaperCard& c, const ParamSet& params) {
  std::printf("%s\n%s", c.title.c_str(),
              wrapped(joined(c.authors) + ". " + c.venue + " " + std::to_string(c.year) + ". " + c.source, "").c_str());
  std::printf("\nIdea:\n%s", wrapped(c.idea, "  ").c_str());
  std::printf("\nEquations:\n");
  for (const std::string& e : c.equations) std::printf("%s", wrapped(e, "  ").c_str());
  std::printf("\nCode:\n%s", wrapped(joined(c.code), "  ").c_str());
  std::printf("\nToggles (compare --set PARAM=ON with --set PARAM=OFF; nerds ablate --paper %s --toggle PARAM):\n",
              c.id.c_str());
  for (const PaperToggle& t : c.toggles) {
    const std::string status = toggle_available(t, params) ? "" : " [not available yet]";
    std::string where = t.scene.empty() ? "" : " (scene " + t.scene + ")";
    if (!t.with.empty()) where += " (both with " + joined(t.with) + ")";
    if (!t.on_with.empty()) where += " (" + t.on + " with " + joined(t.on_with) + ")";
    if (!t.off_with.empty()) where += " (" + t.off + " with " + joined(t.off_with) + ")";
    if (t.seconds > 0) where += " (budget " + number_key(t.seconds) + " s)";
    if (t.steps > 0) where += " (budget " + std::to_string(t.steps) + " steps)";
    std::printf("%s", wrapped(t.param + " = " + t.on + " vs " + t.off + ": " + t.what + where + status, "  ").c_str());
    if (!t.paper.empty()) std::printf("%s", wrapped("paper: " + t.paper, "      ").c_str());
  }
  std::printf("\nBest sample scene (nerds scene list):\n%s", wrapped(c.scene + ": " + c.scene_why, "  ").c_str());
  std::printf("\nThe paper's numbers:\n");
  for (const PaperNumber& n : c.numbers)
    std::printf("%s", wrapped(n.what + ": " + n.value + " (" + n.source + ")", "  ").c_str());
  if (!c.departs.empty()) {
    std::printf("\nWhere we depart from the paper:\n");
    for (const std::string& d : c.departs) std::printf("%s", wrapped(d, "  ").c_str());
  }
  if (!c.steps.empty()) {
    std::printf("\nGuided steps (nerds-view --paper %s):\n", c.id.c_str());
    for (size_t i = 0; i < c.steps.size(); ++i) {
      std::printf("%s", wrapped(std::to_string(i + 1) + ". " + c.steps[i].text, "  ").c_str());
      const std::string settings = step_settings(c, c.steps[i]);
      if (!settings.empty()) std::printf("%s", wrapped("[" + settings + "]", "       ").c_str());
    }
  }
  std::printf("\n(card: %s)\n", c.file.c_str());
}

int run_papers(const PapersArgs& a) {
  const ParamSet params = default_params();
  const std::vector<PaperCard>& cards = paper_cards();
  if (!a.name.empty()) {
    const PaperCard* card = find_paper_card(cards, a.name);
    if (!card) {
      std::vector<std::string> ids;
      for (const PaperCard& c : cards) ids.push_back(c.id);
      throw InputError("no paper card '" + a.name + "' (known: " + joined(ids) + ")");
    }
    if (a.json) {
      std::printf("%s\n", paper_card_json(*card, &params).dump(2).c_str());
    } else {
      print_card(*card, params);
    }
    return 0;
  }
  if (a.json) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const PaperCard& c : cards) all.push_back(paper_card_json(c, &params));
    std::printf("%s\n", all.dump(2).c_str());
    return 0;
  }
  for (const PaperCard& c : cards) {
    const std::string toggle = c.toggles[0].param + "=" + c.toggles[0].on;
    std::printf("%-12s %d %-8s %-11s %-24s %s\n", c.id.c_str(), c.year, c.venue.substr(0, c.venue.find(' ')).c_str(),
                c.scene.c_str(), toggle.c_str(), c.title.c_str());
  }
  std::printf("\n(id, year, venue, best sample scene, main toggle, title; `nerds papers ID` shows a whole card; "
              "the cards: %s)\n",
              cards.empty() ? find_papers_dir().c_str() : fs::path(cards.front().file).parent_path().c_str());
  return 0;
}

}  // namespace

Command add_papers_command(CLI::App& app) {
  auto args = std::make_shared<PapersArgs>();
  CLI::App* sub = app.add_subcommand("papers", "list the paper cards (papers/*.json), or show one (nerds papers nerf)");
  sub->add_option("name", args->name, "a card's id or title (nerf, mip-nerf, instant-ngp, ...)");
  sub->add_flag("--json", args->json, "print the card(s) as JSON");
  return {sub, [args] { return run_papers(*args); }};
}

}  // namespace nerds::cli
