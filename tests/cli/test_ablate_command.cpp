// `nerds ablate` end to end on a tiny sample scene: both settings are trained and evaluated,
// the Markdown and JSON tables and the images are written; a toggle the engine cannot run
// yet, and an unknown paper, are errors that say so.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/data/temp_folder.h"
#include "tests/test_support/run_cli.h"

namespace fs = std::filesystem;

TEST_CASE("nerds ablate: instant-ngp's hash grid against NeRF's frequencies, same seed and budget") {
  nerds_test::TempFolder tmp("ablate");
  const fs::path out = tmp.path() / "ab";
  const nerds_test::CliOutput r = nerds_test::run_nerds_cli(
      tmp, "ablate --paper instant-ngp --steps 8 --resolution 24 --views 12 --val-views 0 --test-views 2 --spp 1 "
           "--set trainer.batch_samples=4096 --set encoding.log2_table_size=14 --device cpu --out '" +
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
