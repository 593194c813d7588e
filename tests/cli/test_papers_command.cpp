// `nerds papers` end to end: the list has one line per card of papers/, a card prints in full
// (its guided steps too),
// --json gives the cards in their files' form, an unknown name is "nerds: error:" with exit
// status 2; a card added as a file (NERDS_PAPERS_DIR) is listed, a malformed one is an error
// naming its file and field.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/techniques/core/paper_cards.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/paper_card_files.h"
#include "tests/test_support/run_cli.h"

namespace fs = std::filesystem;

namespace {

using Output = nerds_test::CliOutput;

Output run_papers(const nerds_test::TempFolder& tmp, const std::string& args) {
  return nerds_test::run_nerds_cli(tmp, "papers " + args);
}

// The text with each run of spaces and line breaks as one space (a card's text wraps at 100
// columns wherever its words fall).
std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (!space) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  return out;
}

// papers/nerf.json under another name, with one field changed.
void write_variant(const fs::path& dir, const std::string& id, const std::string& key, const nlohmann::json& value) {
  std::ifstream in(fs::path(NERDS_SOURCE_DIR) / "papers" / "nerf.json");
  nlohmann::ordered_json card = nlohmann::ordered_json::parse(in);
  card["id"] = id;
  card[key] = value;
  std::ofstream(dir / (id + ".json")) << card.dump(2);
}

}  // namespace

TEST_CASE("nerds papers: list, one card, JSON, unknown name") {
  nerds_test::TempFolder tmp("papers_cli");
  const std::vector<nerds::PaperCard>& cards = nerds::paper_cards(std::string(NERDS_SOURCE_DIR) + "/papers");
  const Output list = run_papers(tmp, "");
  CHECK(list.code == 0);
  for (const nerds::PaperCard& c : cards) {
    INFO("card " << c.id);
    CHECK(list.out.find(c.id + " ") != std::string::npos);
    CHECK(list.out.find(c.title) != std::string::npos);
  }

  const Output card = run_papers(tmp, "mip-nerf");
  CHECK(card.code == 0);
  const std::string mip = one_line(card.out);
  CHECK(mip.find("Mip-NeRF: A Multiscale Representation") != std::string::npos);
  CHECK(mip.find("33.09 / 0.961 / 0.043") != std::string::npos);
  CHECK(mip.find("encoding.kind = ipe vs frequency") != std::string::npos);
  CHECK(mip.find("29.876 / 32.160 / 33.679 / 29.647") != std::string::npos);
  CHECK(mip.find("Where we depart from the paper:") != std::string::npos);
  // The guided steps, numbered, each with what it sets.
  CHECK(mip.find("Guided steps (nerds-view --paper mip-nerf): 1. Test frame 0 of multires/") != std::string::npos);
  CHECK(mip.find("[test 3, error, encoding.kind: both arms] 4. Test frame 12") != std::string::npos);
  CHECK(mip.find("[test 12, error, ray (50, 50), encoding.kind: both arms]") != std::string::npos);
  const std::string ngp = one_line(run_papers(tmp, "instant-ngp").out);
  CHECK(ngp.find("(frequency with encoding.frequencies=16, field.density_layers=7,") != std::string::npos);
  CHECK(ngp.find("(budget 60 s)") != std::string::npos);

  const Output json = run_papers(tmp, "--json");
  REQUIRE(json.code == 0);
  const nlohmann::json all = nlohmann::json::parse(json.out);
  REQUIRE(all.size() == cards.size());
  for (const char* key : {"id", "title", "authors", "year", "venue", "source", "idea", "equations", "code", "scene",
                          "scene_why", "toggles", "numbers"})
    CHECK(all[0].contains(key));
  CHECK(all[0]["toggles"][0].contains("available"));
  const nlohmann::json one = nlohmann::json::parse(run_papers(tmp, "instant-ngp --json").out);
  CHECK(one["id"] == "instant-ngp");
  CHECK(one["toggles"][0]["seconds"] == 60);
  CHECK(one["toggles"][0]["off_with"].size() == 6);
  REQUIRE(one.contains("steps"));
  CHECK(one["steps"][0]["camera"] == nlohmann::json{{"split", "test"}, {"index", 0}});
  CHECK(one["steps"][0]["toggle"]["show"] == "both");
  bool occupancy_available = false;
  for (const auto& t : one["toggles"])
    if (t["param"] == "occupancy.enabled") occupancy_available = t["available"].get<bool>();
  CHECK(occupancy_available);

  const Output unknown = run_papers(tmp, "nope");
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("nerds: error: no paper card 'nope'") != std::string::npos);
}

TEST_CASE("nerds papers: a card added as a file is listed, and a malformed one names its file and field") {
  nerds_test::TempFolder tmp("papers_cli_folder");
  const fs::path dir = tmp.path() / "cards";
  fs::create_directories(dir);
  write_variant(dir, "my-paper", "title", "My Paper: One More Card");
  const nerds_test::PapersDirOverride cards_here(dir);
  const Output list = run_papers(tmp, "");
  CHECK(list.code == 0);
  CHECK(list.out.find("my-paper     2020 ECCV") != std::string::npos);
  CHECK(list.out.find("My Paper: One More Card") != std::string::npos);
  CHECK(list.out.find("Mip-NeRF") == std::string::npos);  // only this folder's cards
  CHECK(run_papers(tmp, "mypaper").out.find("My Paper: One More Card") != std::string::npos);

  write_variant(dir, "broken", "year", "2020");
  const Output broken = run_papers(tmp, "");
  CHECK(broken.code == 2);
  CHECK(broken.err.find("nerds: error: " + (dir / "broken.json").string() + ": year: expected an integer") !=
        std::string::npos);
}
