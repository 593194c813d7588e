// The project's own paper cards (papers/*.json), read once, and one of them by id; and the
// message of the InputError a broken card file throws.
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "renderer/error.h"
#include "renderer/techniques/core/paper_cards.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/paper_card_files.h"

namespace nerds_test {

inline const std::string kPapersDir = std::string(NERDS_SOURCE_DIR) + "/papers";

inline const std::vector<nerds::PaperCard>& real_cards() { return nerds::paper_cards(kPapersDir); }

inline const nerds::PaperCard& real_card(const std::string& id) {
  const nerds::PaperCard* card = nerds::find_paper_card(real_cards(), id);
  REQUIRE(card != nullptr);
  return *card;
}

// The message of the InputError that reading `card` (written as name.json) throws, "" if none.
inline std::string paper_card_error(const nlohmann::json& card, const std::string& name = "broken") {
  TempFolder tmp("paper_card_error");
  write_paper_card(tmp.path(), name, card);
  try {
    nerds::read_paper_card((tmp.path() / (name + ".json")).string());
  } catch (const nerds::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace nerds_test
