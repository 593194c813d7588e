// The compare arms (compare_arms.h): one place that turns a card's toggle or a free
// `--compare PARAM[=OFF]` into arm A (off) and arm B (on), for `nerds ablate` and the viewer's
// compare mode alike.
#include "renderer/techniques/core/compare_arms.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"

namespace nerds {
namespace {

namespace fs = std::filesystem;

std::string trimmed(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\n") - first + 1);
}

// Applies (setting, where it comes from) over the method file, in order; an error names its source.
CompareArm make_arm(bool on, const std::string& param, const std::string& value,
                    const std::vector<std::pair<std::string, std::string>>& assignments, const CompareShared& shared) {
  CompareArm arm;
  arm.on = on;
  arm.setting = param + "=" + value;
  arm.label = std::string(on ? "on: " : "off: ") + arm.setting;
  arm.params = method_params(shared.method_file, {}, &arm.method_name);
  for (const auto& [setting, source] : assignments) {
    arm.params.set_from_string(setting, source);
    arm.sets.push_back(setting);
  }
  return arm;
}

}  // namespace

ComparePlan plan_card_compare(const PaperCard& card, const std::string& toggle_choice, const CompareShared& shared) {
  const int index = find_toggle(card, toggle_choice);
  if (index < 0)
    throw InputError(
        "--toggle", "",
        "'" + toggle_choice + "' is not a toggle of " + card.id + " (its toggles: " + toggle_choices(card) + ")");
  const PaperToggle& t = card.toggles[static_cast<size_t>(index)];
  if (!toggle_available(t, method_params(shared.method_file, shared.sets, nullptr)))
    throw InputError("--paper", "",
                     card.id + ": its toggle " + t.param + "=" + t.on + "|" + t.off +
                         " is not available in the engine yet (nerds papers " + card.id + ")");
  ComparePlan plan;
  plan.card_id = card.id;
  plan.card_file = card.file;
  plan.toggle_index = index;
  plan.toggle = t;
  plan.scene = t.scene.empty() ? card.scene : t.scene;
  const std::string where = card.file + ": toggles[" + std::to_string(index) + "]";
  for (const bool on : {true, false}) {  // "on" first: a bad setting on both is reported as `nerds ablate` always did
    std::vector<std::pair<std::string, std::string>> assignments;  // (setting, where it comes from)
    for (const std::string& s : t.with) assignments.push_back({s, where + ".with"});
    for (const std::string& s : on ? t.on_with : t.off_with)
      assignments.push_back({s, where + (on ? ".on_with" : ".off_with")});
    for (const std::string& s : shared.sets) assignments.push_back({s, "--set"});
    assignments.push_back({t.param + "=" + (on ? t.on : t.off), where + ".param"});
    (on ? plan.b : plan.a) = make_arm(on, t.param, on ? t.on : t.off, assignments, shared);
  }
  return plan;
}

ComparePlan plan_free_compare(const std::string& spec, const CompareShared& shared, const PaperCard* card) {
  const std::string text = trimmed(spec);
  const size_t eq = text.find('=');
  const std::string param = trimmed(text.substr(0, eq));
  if (param.empty()) throw InputError("--compare", "", "expected PARAM or PARAM=OFF_VALUE, got '" + spec + "'");
  const ParamSet method = method_params(shared.method_file, shared.sets, nullptr);
  // An unknown parameter: the assignment's own message (with "did you mean").
  if (!method.has(param)) ParamSet(method).set_from_string(param + "=", "--compare");
  const ParamEntry& entry = method.entry(param);
  const std::string on = format_param_value(entry.value);
  std::string off;
  if (eq == std::string::npos) {
    if (entry.spec.type != ParamType::Bool)
      throw InputError("--compare", param,
                       "give arm A's value, " + param + "=VALUE (only a true/false parameter may omit it; " +
                           "the method's value is " + on + ")");
    off = std::get<bool>(entry.value) ? "false" : "true";
  } else {
    ParamSet check = method;
    check.set_from_string(param + "=" + trimmed(text.substr(eq + 1)), "--compare");
    off = format_param_value(check.entry(param).value);
    if (off == on)
      throw InputError("--compare", param,
                       "'" + off + "' is already the method's value: both arms would be the same " +
                           "(give arm A's other value)");
  }
  ComparePlan plan;
  if (card) {
    plan.card_id = card->id;
    plan.card_file = card->file;
    plan.scene = card->scene;
  }
  plan.toggle.param = param;
  plan.toggle.on = on;
  plan.toggle.off = off;
  plan.toggle.what = param + " = " + on + " (the method's) vs " + off;
  for (const bool arm_on : {false, true}) {
    std::vector<std::pair<std::string, std::string>> assignments;
    for (const std::string& s : shared.sets) assignments.push_back({s, "--set"});
    assignments.push_back({param + "=" + (arm_on ? on : off), "--compare"});
    (arm_on ? plan.b : plan.a) = make_arm(arm_on, param, arm_on ? on : off, assignments, shared);
  }
  return plan;
}

CompareBudget compare_budget(const ComparePlan& plan, double user_seconds, int64_t user_steps) {
  CompareBudget budget;
  if (user_seconds != 0 || user_steps != 0) {
    budget.seconds = user_seconds;
    budget.steps = user_steps;
    budget.from = "command line";
  } else if (plan.toggle.seconds > 0 || plan.toggle.steps > 0) {
    budget.seconds = plan.toggle.seconds;
    budget.steps = plan.toggle.steps;
    budget.from = plan.card_file;
  } else {
    budget.from = "default";
  }
  return budget;
}

std::string compare_data_folder(const std::string& scene_dir) {
  const fs::path multires = fs::path(scene_dir) / "multires";
  std::error_code ec;
  return fs::exists(multires / "transforms_train.json", ec) ? multires.string() : scene_dir;
}

}  // namespace nerds
