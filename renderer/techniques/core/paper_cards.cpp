// The paper cards' reader: papers/<id>.json, one file per paper (papers/README.md has the
// format). Strict as every input of the project: each field is checked for presence and type
// and an unknown key is an error, all named by file and field (renderer/data/json_fields.h).
// A toggle's parameter is not checked against the engine here: a card may name a technique
// still to come (toggle_available says whether it runs now).
#include "renderer/techniques/core/paper_cards.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "renderer/techniques/core/find_upwards.h"

namespace nerds {
namespace {

namespace fs = std::filesystem;
namespace jf = json_fields;
using nlohmann::json;

// A required string that is not blank.
std::string text(const json& object, const std::string& key, const std::string& file, const std::string& where) {
  std::string s = jf::require_string(object, key, file, where);
  if (s.find_first_not_of(" \t\n") == std::string::npos)
    throw InputError(file, jf::field_name(where, key), "must not be empty");
  return s;
}

// A required array of non-blank strings with at least one element.
std::vector<std::string> texts(const json& object, const std::string& key, const std::string& file,
                               const std::string& where) {
  std::vector<std::string> items = jf::require_string_array(object, key, file, where);
  if (items.empty()) throw InputError(file, jf::field_name(where, key), "must list at least one entry");
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].find_first_not_of(" \t\n") == std::string::npos)
      throw InputError(file, jf::field_name(where, key) + "[" + std::to_string(i) + "]", "must not be empty");
  return items;
}

// "module.key=value" settings (the shape only: a card may name parameters still to come).
std::vector<std::string> settings(const json& object, const std::string& key, const std::string& file,
                                  const std::string& where) {
  std::vector<std::string> items = jf::optional_string_array(object, key, file, where);
  for (size_t i = 0; i < items.size(); ++i) {
    const size_t eq = items[i].find('=');
    const size_t dot = items[i].find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot == 0 || dot + 1 >= eq || eq + 1 == items[i].size())
      throw InputError(file, jf::field_name(where, key) + "[" + std::to_string(i) + "]",
                       "'" + items[i] + "' is not a setting module.key=value");
  }
  return items;
}

PaperToggle read_toggle(const json& t, const std::string& file, const std::string& where) {
  jf::reject_unknown_keys(t,
                          {"param", "on", "off", "what", "scene", "with", "on_with", "off_with", "seconds", "steps",
                           "paper"},
                          file, where);
  PaperToggle toggle;
  toggle.param = text(t, "param", file, where);
  const size_t dot = toggle.param.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == toggle.param.size() || toggle.param.rfind('.') != dot)
    throw InputError(file, jf::field_name(where, "param"), "'" + toggle.param + "' is not a parameter module.key");
  toggle.on = text(t, "on", file, where);
  toggle.off = text(t, "off", file, where);
  if (toggle.on == toggle.off) throw InputError(file, jf::field_name(where, "off"), "is the same as \"on\"");
  toggle.what = text(t, "what", file, where);
  toggle.scene = jf::optional_string(t, "scene", file, where).value_or("");
  toggle.with = settings(t, "with", file, where);
  toggle.on_with = settings(t, "on_with", file, where);
  toggle.off_with = settings(t, "off_with", file, where);
  if (const std::optional<double> seconds = jf::optional_number(t, "seconds", file, where)) {
    if (!(*seconds > 0.0)) throw InputError(file, jf::field_name(where, "seconds"), "must be a positive number");
    toggle.seconds = *seconds;
  }
  if (const std::optional<int64_t> steps = jf::optional_integer(t, "steps", file, where)) {
    if (*steps <= 0) throw InputError(file, jf::field_name(where, "steps"), "must be a positive number of steps");
    toggle.steps = *steps;
  }
  toggle.paper = jf::optional_string(t, "paper", file, where).value_or("");
  return toggle;
}

// Lower-case letters and digits only, so "Mip-NeRF", "mipnerf" and "mip-nerf" all match.
std::string folded(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

namespace {

// The scene a toggle plays on: its own, else the card's.
const std::string& toggle_scene(const PaperCard& card, const PaperToggle& t) {
  return t.scene.empty() ? card.scene : t.scene;
}

}  // namespace

int find_toggle(const PaperCard& card, const std::string& choice) {
  if (choice.empty()) return card.toggles.empty() ? -1 : 0;
  const size_t at = choice.find('@');
  const std::string scene = at == std::string::npos ? "" : choice.substr(at + 1);
  const std::string named = choice.substr(0, at);
  const size_t eq = named.find('=');
  const std::string param = named.substr(0, eq);
  const std::string off = eq == std::string::npos ? "" : named.substr(eq + 1);
  for (size_t i = 0; i < card.toggles.size(); ++i) {
    const PaperToggle& t = card.toggles[i];
    if (t.param == param && (off.empty() || t.off == off) && (scene.empty() || toggle_scene(card, t) == scene))
      return static_cast<int>(i);
  }
  return -1;
}

std::string toggle_choices(const PaperCard& card) {
  std::string known;
  for (const PaperToggle& t : card.toggles) {
    known += (known.empty() ? "" : ", ") + t.param + "=" + t.off;
    // Toggles sharing a parameter and an off setting differ by their scene.
    const bool shared = std::count_if(card.toggles.begin(), card.toggles.end(), [&](const PaperToggle& o) {
                          return o.param == t.param && o.off == t.off;
                        }) > 1;
    if (shared) known += "@" + toggle_scene(card, t);
  }
  return known;
}

namespace {

// A step's toggle names one of the card's toggles, and one that plays on the card's scene (the
// steps' views are views of that scene).
void resolve_step_toggles(PaperCard& card) {
  for (size_t i = 0; i < card.steps.size(); ++i) {
    if (!card.steps[i].toggle) continue;
    GuidedStepToggle& t = *card.steps[i].toggle;
    const std::string field = "steps[" + std::to_string(i) + "].toggle.param";
    t.index = find_toggle(card, t.choice);
    if (t.index < 0)
      throw InputError(card.file, field,
                       "'" + t.choice + "' is not a toggle of this card (its toggles: " + toggle_choices(card) + ")");
    const PaperToggle& toggle = card.toggles[static_cast<size_t>(t.index)];
    if (!toggle.scene.empty() && toggle.scene != card.scene)
      throw InputError(card.file, field,
                       "toggle " + toggle.param + "=" + toggle.off + " plays on scene '" + toggle.scene +
                           "', and the steps on the card's scene '" + card.scene + "'");
  }
}

}  // namespace

PaperCard read_paper_card(const std::string& path) {
  const json root = jf::read_json_file(path, jf::RepeatedKeys::refuse);
  const std::string& f = path;
  jf::reject_unknown_keys(root,
                          {"id", "title", "authors", "year", "venue", "source", "idea", "equations", "code", "scene",
                           "scene_why", "toggles", "numbers", "departs", "steps"},
                          f, "");
  PaperCard card;
  card.file = path;
  card.id = text(root, "id", f, "");
  if (card.id != fs::path(path).stem().string())
    throw InputError(f, "id", "'" + card.id + "' must be the file's name (" + fs::path(path).stem().string() + ")");
  card.title = text(root, "title", f, "");
  card.authors = texts(root, "authors", f, "");
  const int64_t year = jf::require_integer(root, "year", f, "");
  if (year < 1900 || year > 2200) throw InputError(f, "year", "not a publication year: " + std::to_string(year));
  card.year = static_cast<int>(year);
  card.venue = text(root, "venue", f, "");
  card.source = text(root, "source", f, "");
  card.idea = text(root, "idea", f, "");
  card.equations = texts(root, "equations", f, "");
  card.code = texts(root, "code", f, "");
  card.scene = text(root, "scene", f, "");
  card.scene_why = text(root, "scene_why", f, "");

  const json& toggles = jf::require_array(root, "toggles", f, "");
  if (toggles.empty()) throw InputError(f, "toggles", "must list at least one toggle");
  for (size_t i = 0; i < toggles.size(); ++i) {
    card.toggles.push_back(read_toggle(toggles[i], f, "toggles[" + std::to_string(i) + "]"));
    // `--toggle PARAM=OFF@SCENE` must name each toggle (find_toggle).
    const PaperToggle& t = card.toggles.back();
    for (size_t j = 0; j < i; ++j)
      if (card.toggles[j].param == t.param && card.toggles[j].off == t.off &&
          toggle_scene(card, card.toggles[j]) == toggle_scene(card, t))
        throw InputError(f, "toggles[" + std::to_string(i) + "]",
                         "repeats toggles[" + std::to_string(j) + "] (" + t.param + "=" + t.off + " on " +
                             toggle_scene(card, t) + "): give it another off setting or scene");
  }

  const json& numbers = jf::require_array(root, "numbers", f, "");
  if (numbers.empty()) throw InputError(f, "numbers", "must quote at least one of the paper's numbers");
  for (size_t i = 0; i < numbers.size(); ++i) {
    const std::string where = "numbers[" + std::to_string(i) + "]";
    jf::reject_unknown_keys(numbers[i], {"what", "value", "source"}, f, where);
    card.numbers.push_back(
        {text(numbers[i], "what", f, where), text(numbers[i], "value", f, where),
         text(numbers[i], "source", f, where)});
  }
  card.departs = jf::optional_string_array(root, "departs", f, "");
  if (const json* steps = jf::find(root, "steps", f, "")) card.steps = read_guided_steps(*steps, f);
  resolve_step_toggles(card);
  return card;
}

std::vector<PaperCard> load_paper_cards(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir, "", "no such paper-card folder");
  std::vector<std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
  if (ec) throw InputError(dir, "", "cannot list the folder: " + ec.message());
  std::sort(files.begin(), files.end());  // deterministic whatever the directory order
  std::vector<PaperCard> cards;
  for (const std::string& file : files) cards.push_back(read_paper_card(file));
  std::stable_sort(cards.begin(), cards.end(), [](const PaperCard& a, const PaperCard& b) {
    return a.year != b.year ? a.year < b.year : a.id < b.id;
  });
  return cards;
}

std::string find_papers_dir() {
  if (const char* env = std::getenv("NERDS_PAPERS_DIR"); env && *env) {
    std::error_code ec;
    if (!fs::is_directory(env, ec))
      throw InputError("NERDS_PAPERS_DIR", "", std::string("'") + env + "' is not a folder");
    return env;
  }
  return find_upwards("papers", /*directory=*/true);
}

const std::vector<PaperCard>& paper_cards(const std::string& dir) {
  const std::string folder = dir.empty() ? find_papers_dir() : dir;
  if (folder.empty())
    throw InputError("papers/", "",
                     "no paper-card folder found from the working directory or beside the program "
                     "(set NERDS_PAPERS_DIR to the repository's papers/ folder)");
  static std::mutex mutex;
  static std::map<std::string, std::vector<PaperCard>> loaded;  // by folder; a map keeps references valid
  std::error_code ec;
  const std::string key = fs::weakly_canonical(folder, ec).string();
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded.find(key);
  if (it == loaded.end()) it = loaded.emplace(key, load_paper_cards(folder)).first;
  return it->second;
}

const PaperCard* find_paper_card(const std::vector<PaperCard>& cards, const std::string& name) {
  const std::string wanted = folded(name);
  if (wanted.empty()) return nullptr;
  for (const PaperCard& card : cards)
    if (folded(card.id) == wanted || folded(card.title) == wanted) return &card;
  return nullptr;
}

const PaperCard* find_paper_card(const std::string& name) { return find_paper_card(paper_cards(), name); }

bool toggle_available(const PaperToggle& toggle, const ParamSet& params) {
  if (!params.has(toggle.param)) return false;
  ParamSet copy = params;
  try {
    copy.set_from_string(toggle.param + "=" + toggle.on);
    copy.set_from_string(toggle.param + "=" + toggle.off);
  } catch (const InputError&) {
    return false;
  }
  return true;
}

nlohmann::ordered_json paper_card_json(const PaperCard& c, const ParamSet* params) {
  using ojson = nlohmann::ordered_json;
  ojson toggles = ojson::array();
  for (const PaperToggle& t : c.toggles) {
    ojson j = {{"param", t.param}, {"on", t.on}, {"off", t.off}, {"what", t.what}};
    if (!t.scene.empty()) j["scene"] = t.scene;
    if (!t.with.empty()) j["with"] = t.with;
    if (!t.on_with.empty()) j["on_with"] = t.on_with;
    if (!t.off_with.empty()) j["off_with"] = t.off_with;
    if (t.seconds > 0.0) j["seconds"] = t.seconds;
    if (t.steps > 0) j["steps"] = t.steps;
    if (!t.paper.empty()) j["paper"] = t.paper;
    if (params) j["available"] = toggle_available(t, *params);
    toggles.push_back(j);
  }
  ojson numbers = ojson::array();
  for (const PaperNumber& n : c.numbers)
    numbers.push_back({{"what", n.what}, {"value", n.value}, {"source", n.source}});
  ojson j = {{"id", c.id},         {"title", c.title},         {"authors", c.authors}, {"year", c.year},
             {"venue", c.venue},   {"source", c.source},       {"idea", c.idea},       {"equations", c.equations},
             {"code", c.code},     {"scene", c.scene},         {"scene_why", c.scene_why},
             {"toggles", toggles}, {"numbers", numbers}};
  if (!c.departs.empty()) j["departs"] = c.departs;
  if (!c.steps.empty()) {
    j["steps"] = ojson::array();
    for (const GuidedStep& s : c.steps) j["steps"].push_back(guided_step_json(s));
  }
  return j;
}

}  // namespace nerds
