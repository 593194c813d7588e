// `nerds papers`: the paper cards (renderer/techniques/paper_cards.cpp), one line each, or
// one card in full with `nerds papers NAME`; --json prints the same as JSON. Each toggle says
// whether the engine can run both of its settings yet (`nerds params` lists the parameters).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/cli_common.h"
#include "renderer/techniques/paper_cards.h"

namespace nerds::cli {

namespace {

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

nlohmann::ordered_json card_json(const PaperCard& c, const ParamSet& params) {
  nlohmann::ordered_json toggles = nlohmann::ordered_json::array();
  for (const PaperToggle& t : c.toggles)
    toggles.push_back(
        {{"param", t.param}, {"on", t.on}, {"off", t.off}, {"what", t.what},
                        {"scene", t.scene.empty() ? c.scene : t.scene}, {"with", t.with},
                        {"available", toggle_available(t, params)}});
  return {{"id", c.id},
          {"title", c.title},
          {"authors", c.authors},
          {"year", c.year},
          {"venue", c.venue},
          {"idea", c.idea},
          {"equations", c.equations},
          {"code", c.code},
          {"toggles", toggles},
          {"scene", c.scene},
          {"scene_why", c.scene_why},
          {"headline", c.headline},
          {"headline_source", c.headline_source}};
}

void print_card(const PaperCard& c, const ParamSet& params) {
  std::printf("%s\n%s", c.title.c_str(),
              wrapped(c.authors + ". " + c.venue + " " + std::to_string(c.year), "").c_str());
  std::printf("\nIdea:\n%s", wrapped(c.idea, "  ").c_str());
  std::printf("\nEquations:\n");
  for (const std::string& e : c.equations) std::printf("%s", wrapped(e, "  ").c_str());
  std::printf("\nCode:\n%s", wrapped(joined(c.code), "  ").c_str());
  std::printf("\nToggles (compare --set PARAM=ON with --set PARAM=OFF):\n");
  for (const PaperToggle& t : c.toggles) {
    const std::string status = toggle_available(t, params) ? "" : " [not available yet]";
    std::string where = t.scene.empty() ? "" : " (scene " + t.scene + ")";
    for (const std::string& w : t.with) where += " (with " + w + ")";
    std::printf("%s", wrapped(t.param + " = " + t.on + " vs " + t.off + ": " + t.what + where + status, "  ").c_str());
  }
  std::printf("\nBest sample scene (nerds scene list):\n%s", wrapped(c.scene + ": " + c.scene_why, "  ").c_str());
  std::printf("\nHeadline:\n%s", wrapped(c.headline + " -- " + c.headline_source, "  ").c_str());
}

int run_papers(const PapersArgs& a) {
  const ParamSet params = default_params();
  if (!a.name.empty()) {
    const PaperCard* card = find_paper_card(a.name);
    if (!card) {
      std::vector<std::string> ids;
      for (const PaperCard& c : paper_cards()) ids.push_back(c.id);
      throw InputError("no paper card '" + a.name + "' (known: " + joined(ids) + ")");
    }
    if (a.json) {
      std::printf("%s\n", card_json(*card, params).dump(2).c_str());
    } else {
      print_card(*card, params);
    }
    return 0;
  }
  if (a.json) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const PaperCard& c : paper_cards()) all.push_back(card_json(c, params));
    std::printf("%s\n", all.dump(2).c_str());
    return 0;
  }
  for (const PaperCard& c : paper_cards()) {
    const std::string toggle = c.toggles.empty() ? "-" : c.toggles[0].param + "=" + c.toggles[0].on;
    std::printf("%-12s %d %-8s %-11s %-24s %s\n", c.id.c_str(), c.year, c.venue.substr(0, c.venue.find(' ')).c_str(),
                c.scene.c_str(), toggle.c_str(), c.title.c_str());
  }
  std::printf("\n(id, year, venue, best sample scene, main toggle, title; `nerds papers ID` shows a whole card)\n");
  return 0;
}

}  // namespace

Command add_papers_command(CLI::App& app) {
  auto args = std::make_shared<PapersArgs>();
  CLI::App* sub = app.add_subcommand("papers", "list the paper cards, or show one (nerds papers nerf)");
  sub->add_option("name", args->name, "a card's id or title (nerf, mip-nerf, instant-ngp, ...)");
  sub->add_flag("--json", args->json, "print the card(s) as JSON");
  return {sub, [args] { return run_papers(*args); }};
}

}  // namespace nerds::cli
