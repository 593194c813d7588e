// Paper-card files for tests: a small valid card to write into a temporary folder (and break
// one field at a time), and NERDS_PAPERS_DIR pointing the programs a test starts at that folder.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace nerds_test {

// A valid card `id` (the file must be named id.json): one toggle, encoding.kind hash vs frequency,
// with a setting for the frequency arm and a budget of 3 steps.
inline nlohmann::json small_paper_card(const std::string& id, int year) {
  return {{"id", id},
          {"title", "A Test Paper " + id},
          {"authors", {"A. Author", "B. Author"}},
          {"year", year},
          {"venue", "TEST"},
          {"source", "a test card, arXiv 0000.00000"},
          {"idea", "One idea. Another sentence."},
          {"equations", {"Eq. 1: x = y"}},
          {"code", {"renderer/math/compositing.h"}},
          {"scene", "default"},
          {"scene_why", "because"},
          {"toggles",
           {{{"param", "encoding.kind"},
             {"on", "hash"},
             {"off", "frequency"},
             {"what", "a comparison"},
             {"off_with", {"field.density_layers=2"}},
             {"steps", 3}}}},
          {"numbers", {{{"what", "a number"}, {"value", "1.0"}, {"source", "Table 1"}}}}};
}

// Writes `card` as dir/name.json.
inline void write_paper_card(const std::filesystem::path& dir, const std::string& name, const nlohmann::json& card) {
  std::ofstream(dir / (name + ".json")) << card.dump(2);
}

// NERDS_PAPERS_DIR for the programs this test starts, unset again when it ends.
struct PapersDirOverride {
  explicit PapersDirOverride(const std::filesystem::path& dir) { ::setenv("NERDS_PAPERS_DIR", dir.c_str(), 1); }
  ~PapersDirOverride() { ::unsetenv("NERDS_PAPERS_DIR"); }
  PapersDirOverride(const PapersDirOverride&) = delete;
  PapersDirOverride& operator=(const PapersDirOverride&) = delete;
};

}  // namespace nerds_test
