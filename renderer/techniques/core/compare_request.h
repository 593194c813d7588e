// What a user asks of compare mode, as the command line and a saved session hold it: a paper
// card and one of its toggles, or a free --compare PARAM[=OFF], with the method and --set both
// arms share. One call turns it into the two arms (compare_arms.h), so `nerds ablate`, the
// viewer's options and a reopened session build the same arms from the same words.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/techniques/core/compare_arms.h"
#include "renderer/techniques/core/paper_cards.h"

namespace nerds {

struct CompareRequest {
  std::string paper;     // --paper: a card's id or title; "" for none
  std::string toggle;    // --toggle: the card's toggle (PARAM or PARAM=OFF; "" = its main one)
  std::string compare;   // --compare PARAM[=OFF]: any parameter instead of a card's toggle
  CompareShared shared;  // --method and --set, both arms
};

// The arms of `request` over `cards`: the card's toggle (plan_card_compare), or the free
// compare (plan_free_compare, on the card's scene when a card is named). Throws InputError
// naming the option: "--paper" for an unknown card, "--compare" when neither a card nor a
// parameter is named or when both --toggle and --compare are.
ComparePlan plan_compare(const CompareRequest& request, const std::vector<PaperCard>& cards);

// The request in a session file's form: {"paper", "toggle", "compare", "method", "sets"}, each
// only when set; read back strictly (unknown keys, wrong types: InputError naming `file` and
// the field inside `where`).
nlohmann::ordered_json compare_request_json(const CompareRequest& request);
CompareRequest read_compare_request(const nlohmann::json& value, const std::string& file, const std::string& where);

}  // namespace nerds
