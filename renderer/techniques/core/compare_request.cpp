// A compare request (compare_request.h): the words a user gave, to the two arms, and to and
// from a session file.
#include "renderer/techniques/core/compare_request.h"

#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds {

ComparePlan plan_compare(const CompareRequest& request, const std::vector<PaperCard>& cards) {
  const PaperCard* card = nullptr;
  if (!request.paper.empty()) {
    card = find_paper_card(cards, request.paper);
    if (!card) {
      std::string known;
      for (const PaperCard& c : cards) known += (known.empty() ? "" : ", ") + c.id;
      throw InputError("--paper", "", "'" + request.paper + "' is not a paper card (known: " + known + ")");
    }
  }
  if (!request.compare.empty()) {
    if (!request.toggle.empty())
      throw InputError("--compare", "",
                       "give --toggle (one of the card's toggles) or --compare (any parameter), not both");
    return plan_free_compare(request.compare, request.shared, card);
  }
  if (!card) throw InputError("--compare", "", "name a paper card (--paper ID) or a parameter (--compare PARAM[=OFF])");
  return plan_card_compare(*card, request.toggle, request.shared);
}

nlohmann::ordered_json compare_request_json(const CompareRequest& r) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  if (!r.paper.empty()) j["paper"] = r.paper;
  if (!r.toggle.empty()) j["toggle"] = r.toggle;
  if (!r.compare.empty()) j["compare"] = r.compare;
  if (!r.shared.method_file.empty()) j["method"] = r.shared.method_file;
  if (!r.shared.sets.empty()) j["sets"] = r.shared.sets;
  return j;
}

CompareRequest read_compare_request(const nlohmann::json& value, const std::string& file, const std::string& where) {
  json_fields::reject_unknown_keys(value, {"paper", "toggle", "compare", "method", "sets"}, file, where);
  CompareRequest r;
  r.paper = json_fields::optional_string(value, "paper", file, where).value_or("");
  r.toggle = json_fields::optional_string(value, "toggle", file, where).value_or("");
  r.compare = json_fields::optional_string(value, "compare", file, where).value_or("");
  r.shared.method_file = json_fields::optional_string(value, "method", file, where).value_or("");
  r.shared.sets = json_fields::optional_string_array(value, "sets", file, where);
  return r;
}

}  // namespace nerds
