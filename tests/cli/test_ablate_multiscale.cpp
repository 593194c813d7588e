// `nerds ablate --paper mip-nerf` end to end on a tiny `multiscale` scene: both arms train and
// test on its multires/ folder (Mip-NeRF's multiscale Blender protocol), and the JSON and
// Markdown tables give the PSNR per image size, largest first (Mip-NeRF Table 1's columns).
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/data/temp_folder.h"
#include "tests/test_support/run_cli.h"

namespace fs = std::filesystem;

TEST_CASE("nerds ablate: mip-nerf on the multiscale scene reports PSNR per image size for IPE and frequencies") {
  nerds_test::TempFolder tmp("ablate_multiscale");
  const fs::path out = tmp.path() / "ab";
  const nerds_test::CliOutput r = nerds_test::run_nerds_cli(
      tmp,
      "ablate --paper mip-nerf --steps 3 --resolution 16 --views 4 --val-views 0 --test-views 1 --spp 1 "
      "--set trainer.batch_samples=2048 --device cpu --out '" +
          out.string() + "'");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const nlohmann::json j = nlohmann::json::parse(nerds_test::read_text_file(out / "ablation.json"));
  CHECK(fs::path(j["data"].get<std::string>()).filename() == "multires");
  CHECK(j["test_views"] == 4);  // one view at 16, 8, 4 and 2 px
  REQUIRE(j["runs"].size() == 2);
  CHECK(j["runs"][0]["setting"] == "encoding.kind=ipe");
  CHECK(j["runs"][1]["setting"] == "encoding.kind=frequency");
  for (const nlohmann::json& run : j["runs"]) {
    REQUIRE(run["per_size"].size() == 4);
    for (int s = 0; s < 4; ++s) {
      CAPTURE(s);
      CHECK(run["per_size"][s]["width"] == (16 >> s));
      CHECK(run["per_size"][s]["views"] == 1);
      CHECK(run["per_size"][s]["psnr"].get<double>() > 3.0);
    }
  }
  CHECK(r.out.find("| setting | PSNR (dB) | SSIM | PSNR 16x16 | PSNR 8x8 | PSNR 4x4 | PSNR 2x2 |") !=
        std::string::npos);
  CHECK(r.out.find("| `encoding.kind=ipe` |") != std::string::npos);
}
