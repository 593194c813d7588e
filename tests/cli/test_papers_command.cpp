// `nerds papers` end to end: the list has one line per card, a card prints in full, --json
// parses with every field, and an unknown name is "nerds: error:" with exit status 2.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/techniques/paper_cards.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/run_cli.h"

namespace fs = std::filesystem;

namespace {

using Output = nerds_test::CliOutput;

Output run_papers(const nerds_test::TempFolder& tmp, const std::string& args) {
  return nerds_test::run_nerds_cli(tmp, "papers " + args);
}

}  // namespace

TEST_CASE("nerds papers: list, one card, JSON, unknown name") {
  nerds_test::TempFolder tmp("papers_cli");
  const Output list = run_papers(tmp, "");
  CHECK(list.code == 0);
  for (const nerds::PaperCard& c : nerds::paper_cards()) {
    INFO("card " << c.id);
    CHECK(list.out.find(c.id + " ") != std::string::npos);
    CHECK(list.out.find(c.title) != std::string::npos);
  }

  const Output card = run_papers(tmp, "mip-nerf");
  CHECK(card.code == 0);
  CHECK(card.out.find("Mip-NeRF: A Multiscale Representation") != std::string::npos);
  CHECK(card.out.find("33.09") != std::string::npos);
  CHECK(card.out.find("encoding.kind = ipe vs frequency") != std::string::npos);

  const Output json = run_papers(tmp, "--json");
  REQUIRE(json.code == 0);
  const nlohmann::json all = nlohmann::json::parse(json.out);
  REQUIRE(all.size() == nerds::paper_cards().size());
  for (const char* key : {"id", "title", "authors", "year", "venue", "idea", "equations", "code", "toggles", "scene",
                          "scene_why", "headline", "headline_source"})
    CHECK(all[0].contains(key));
  CHECK(all[0]["toggles"][0].contains("available"));
  const nlohmann::json one = nlohmann::json::parse(run_papers(tmp, "instant-ngp --json").out);
  CHECK(one["id"] == "instant-ngp");
  bool occupancy_available = false;
  for (const auto& t : one["toggles"])
    if (t["param"] == "occupancy.enabled") occupancy_available = t["available"].get<bool>();
  CHECK(occupancy_available);

  const Output unknown = run_papers(tmp, "nope");
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("nerds: error: no paper card 'nope'") != std::string::npos);
}
