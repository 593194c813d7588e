// `nerds ablate` end to end on a tiny sample scene: both settings are trained and evaluated,
// the Markdown and JSON tables and the images are written; each arm gets the card's settings
// (with, on_with, off_with: Instant-NGP's frequency arm runs the paper's frequency network)
// under the user's --set, and the toggle's own budget when the user gives none; a toggle the
// engine cannot run yet, an unknown paper and a bad setting on a card are errors that say so.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/data/temp_folder.h"
#include "tests/test_support/paper_card_files.h"
#include "tests/test_support/run_cli.h"

namespace fs = std::filesystem;

TEST_CASE("nerds ablate: instant-ngp's hash grid against the paper's frequency network, same seed and budget") {
  nerds_test::TempFolder tmp("ablate");
  const fs::path out = tmp.path() / "ab";
  const nerds_test::CliOutput r = nerds_test::run_nerds_cli(
      tmp, "ablate --paper instant-ngp --steps 8 --resolution 24 --views 12 --val-views 0 --test-views 2 --spp 1 "
           "--set trainer.batch_samples=4096 --set encoding.log2_table_size=14 --set occupancy.resolution=32 "
           "--device cpu --out '" +
               out.string() + "'");
  INFO(r.err);
  REQUIRE(r.code == 0);
  for (const char* f : {"ablation.md", "ablation.json", "view0_on_off_gt.png", "view0_difference.png"})
    CHECK(fs::exists(out / f));
  const nlohmann::json j = nlohmann::json::parse(nerds_test::read_text_file(out / "ablation.json"));
  REQUIRE(j["runs"].size() == 2);
  CHECK(j["runs"][0]["setting"] == "encoding.kind=hash");
  CHECK(j["runs"][1]["setting"] == "encoding.kind=frequency");
  for (const auto& run : j["runs"]) {
    CHECK(run["steps"] == 8);
    CHECK(run["psnr"].get<double>() > 5.0);
  }
  CHECK(r.out.find("| `encoding.kind=hash` |") != std::string::npos);
  CHECK(j["budget"]["from"] == "command line");  // the user's --steps, not the card's 60 s
  // The frequency arm runs the paper's frequency network (papers/instant-ngp.json, off_with);
  // the hash arm keeps the tiny MLP.
  const nlohmann::json& hash = j["runs"][0]["params"];
  const nlohmann::json& frequency = j["runs"][1]["params"];
  CHECK(hash["field"]["density_layers"] == 1);
  CHECK(hash["field"]["density_hidden"] == 64);
  CHECK(hash["trainer"]["lr"] == 0.01);
  CHECK(frequency["encoding"]["frequencies"] == 16);
  CHECK(frequency["field"]["density_layers"] == 7);
  CHECK(frequency["field"]["density_hidden"] == 256);
  CHECK(frequency["field"]["color_layers"] == 1);
  CHECK(frequency["field"]["color_hidden"] == 256);
  CHECK(frequency["trainer"]["lr"] == 0.001);
  for (const auto& params : {hash, frequency}) CHECK(params["encoding"]["log2_table_size"] == 14);  // the --set
  // (a 32^3 occupancy grid: the 7x256 network's first grid update over 128^3 cells takes half a minute)
  CHECK(j["runs"][1]["sets"].back() == "encoding.kind=frequency");
  CHECK(r.out.find("Only `encoding.kind=frequency`: `encoding.frequencies=16` `field.density_layers=7`") !=
        std::string::npos);
}

namespace {

// A card of our own: its toggle gives each arm settings of its own, and a budget.
nlohmann::json tiny_card() {
  nlohmann::json card = nerds_test::small_paper_card("tiny", 2024);
  card["toggles"][0] = {{"param", "encoding.kind"},
                        {"on", "hash"},
                        {"off", "frequency"},
                        {"what", "per-arm settings reach their arm"},
                        {"with", {"trainer.batch_samples=4096"}},
                        {"on_with", {"encoding.levels=4", "encoding.log2_table_size=12"}},
                        {"off_with", {"encoding.frequencies=4", "field.density_hidden=32", "field.color_hidden=16"}},
                        {"steps", 2}};
  return card;
}

}  // namespace

TEST_CASE("nerds ablate: a card's on_with / off_with reach only their arm, and its budget applies") {
  nerds_test::TempFolder tmp("ablate_card");
  const fs::path cards = tmp.path() / "cards", out = tmp.path() / "ab";
  fs::create_directories(cards);
  std::ofstream(cards / "tiny.json") << tiny_card().dump(2);
  const nerds_test::PapersDirOverride cards_here(cards);
  // No --steps / --seconds: the toggle's 2 steps; the user's --set wins over off_with.
  const nerds_test::CliOutput r = nerds_test::run_nerds_cli(
      tmp, "ablate --paper tiny --resolution 16 --views 6 --val-views 0 --test-views 1 --spp 1 "
           "--set field.color_hidden=24 --device cpu --out '" + out.string() + "'");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const nlohmann::json j = nlohmann::json::parse(nerds_test::read_text_file(out / "ablation.json"));
  CHECK(j["budget"]["steps"] == 2);
  CHECK(j["budget"]["from"] == (cards / "tiny.json").string());
  REQUIRE(j["runs"].size() == 2);
  const nlohmann::json &on = j["runs"][0], &off = j["runs"][1];
  CHECK(on["steps"] == 2);
  CHECK(off["steps"] == 2);
  CHECK(on["sets"] == nlohmann::json{"trainer.batch_samples=4096", "encoding.levels=4", "encoding.log2_table_size=12",
                                     "field.color_hidden=24", "encoding.kind=hash"});
  CHECK(off["sets"] == nlohmann::json{"trainer.batch_samples=4096", "encoding.frequencies=4", "field.density_hidden=32",
                                      "field.color_hidden=16", "field.color_hidden=24", "encoding.kind=frequency"});
  CHECK(on["params"]["encoding"]["levels"] == 4);
  CHECK(on["params"]["field"]["density_hidden"] == 64);   // off_with is not the hash arm's
  CHECK(off["params"]["encoding"]["levels"] == 16);       // on_with is not the frequency arm's
  CHECK(off["params"]["encoding"]["frequencies"] == 4);
  CHECK(off["params"]["field"]["density_hidden"] == 32);
  for (const nlohmann::json* arm : {&on, &off}) {
    CHECK((*arm)["params"]["trainer"]["batch_samples"] == 4096);  // `with`: both arms
    CHECK((*arm)["params"]["field"]["color_hidden"] == 24);       // the user's --set wins
  }
  CHECK(r.out.find("same seed and budget (2 steps, the card's)") != std::string::npos);

  // A setting the engine does not know fails before any training, naming the card and field.
  nlohmann::json bad = tiny_card();
  bad["toggles"][0]["off_with"] = {"field.density_width=32"};
  std::ofstream(cards / "tiny.json") << bad.dump(2);
  const nerds_test::CliOutput e =
      nerds_test::run_nerds_cli(tmp, "ablate --paper tiny --device cpu --out '" + out.string() + "2'");
  CHECK(e.code == 2);
  CHECK(e.err.find((cards / "tiny.json").string() + ": toggles[0].off_with: field.density_width") != std::string::npos);
  CHECK_FALSE(fs::exists(out.string() + "2"));
}

TEST_CASE("nerds ablate: unknown papers and toggles are errors") {
  nerds_test::TempFolder tmp("ablate_errors");
  const nerds_test::CliOutput unknown = nerds_test::run_nerds_cli(tmp, "ablate --paper no-such-paper --steps 1");
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("no-such-paper") != std::string::npos);
  const nerds_test::CliOutput other =
      nerds_test::run_nerds_cli(tmp, "ablate --paper nerf --toggle field.skip_layer --steps 1");
  CHECK(other.code == 2);
  CHECK(other.err.find("not a toggle of nerf") != std::string::npos);
}
