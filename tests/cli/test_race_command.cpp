// `nerds race` end to end on a tiny generated scene: two methods, about a second each, write
// race.md, race.json and race.png with the expected keys, checks in order of training time
// and a row per method; an unknown or repeated method name, or a bad number, is an error
// before anything trains.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/data/image_io.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/run_cli.h"
#include "tests/test_support/small_scene.h"

namespace fs = std::filesystem;

TEST_CASE("nerds race: two methods, same seed and budget, write the table, the JSON and the plot") {
  nerds_test::TempFolder tmp("race");
  const fs::path data = tmp.path() / "scene", out = tmp.path() / "race";
  nerds_test::make_small_scene("default", data.string(), 16, 8, 2);
  // Small models (every --set reaches both methods) keep the renders of the checks quick.
  const nerds_test::CliOutput r = nerds_test::run_nerds_cli(
      tmp, "race --data '" + data.string() + "' --methods instant_ngp,nerf --seconds 1 --check-at 0.2,0.5,3 "
           "--check-stride 2 --set trainer.batch_samples=2048 --set encoding.log2_table_size=12 "
           "--set occupancy.resolution=32 --set sampler.coarse_samples=16 --set sampler.fine_samples=16 "
           "--device cpu --out '" + out.string() + "'");
  INFO(r.err);
  REQUIRE(r.code == 0);
  for (const char* f : {"race.md", "race.json", "race.png"}) CHECK(fs::exists(out / f));

  const nlohmann::json j = nlohmann::json::parse(nerds_test::read_text_file(out / "race.json"));
  for (const char* key : {"date", "commit", "dirty", "command_line", "machine", "device", "data", "budget", "seed",
                          "thresholds", "check_times", "check_stride", "check_views", "test_stride", "test_views",
                          "timing", "methods"})
    CHECK_MESSAGE(j.contains(key), key);
  for (const char* key : {"hostname", "os", "cpu", "logical_cpus", "threads", "memory_mib", "compiler", "build"})
    CHECK_MESSAGE(j["machine"].contains(key), key);
  CHECK(j["command_line"][1] == "race");
  CHECK(j["budget"]["seconds"] == 1.0);
  CHECK(j["seed"] == 1337);
  // 3 s lies past the 1 s budget: the end of training is checked instead.
  CHECK(j["check_times"] == nlohmann::json::array({0.2, 0.5}));
  CHECK(j["check_views"] == 1);
  CHECK(j["test_views"] == 2);
  REQUIRE(j["methods"].size() == 2);
  CHECK(j["methods"][0]["name"] == "instant_ngp");
  CHECK(j["methods"][1]["name"] == "nerf");
  for (const auto& m : j["methods"]) {
    INFO(m["name"].get<std::string>());
    for (const char* key : {"method", "method_file", "steps", "train_seconds", "samples_per_second",
                            "marched_samples_per_second", "rays_per_second", "peak_rss_mib", "rss_before_mib",
                            "model_bytes", "parameters", "snapshot", "psnr", "ssim", "final_views", "seconds_to_psnr",
                            "steps_to_psnr", "psnr_at", "checks", "eval_seconds", "params"})
      CHECK_MESSAGE(m.contains(key), key);
    CHECK_FALSE(m.contains("failure"));
    CHECK(m["params"]["trainer"]["seed"] == 1337);
    CHECK(m["params"]["trainer"]["batch_samples"] == 2048);
    CHECK(m["steps"].get<int>() > 0);
    CHECK(m["train_seconds"].get<double>() >= 1.0);
    CHECK(m["samples_per_second"].get<double>() > 0);
    CHECK(m["peak_rss_mib"].get<double>() > 0);
    CHECK(m["psnr"].get<double>() > 5.0);
    CHECK(m["final_views"] == 2);
    for (const char* thr : {"25", "28", "30"}) {
      CHECK(m["seconds_to_psnr"].contains(thr));
      CHECK(m["steps_to_psnr"].contains(thr));
    }
    for (const char* at : {"0.2", "0.5", "end"}) CHECK(m["psnr_at"].contains(at));
    CHECK(m["psnr_at"]["end"].get<double>() > 5.0);
    // The model size is the saved snapshot's.
    const fs::path snapshot = m["snapshot"].get<std::string>();
    REQUIRE(fs::exists(snapshot));
    CHECK(m["model_bytes"].get<uintmax_t>() == fs::file_size(snapshot));
    CHECK(m["parameters"].get<int64_t>() > 0);
    CHECK(m["model_bytes"].get<uintmax_t>() > m["parameters"].get<uintmax_t>() * 4);  // values and moments
    // Checks in order of training time and steps, the last at the end of training.
    const nlohmann::json& checks = m["checks"];
    REQUIRE(checks.size() >= 1);
    for (size_t i = 1; i < checks.size(); ++i) {
      CHECK(checks[i]["seconds"].get<double>() >= checks[i - 1]["seconds"].get<double>());
      CHECK(checks[i]["step"].get<int>() > checks[i - 1]["step"].get<int>());
    }
    CHECK(checks.back()["step"] == m["steps"]);
    CHECK(checks.back()["seconds"] == m["train_seconds"]);
    for (const auto& c : checks)
      if (c["at"].is_number()) CHECK(c["seconds"].get<double>() >= c["at"].get<double>());
  }

  const std::string md = nerds_test::read_text_file(out / "race.md");
  CHECK(md.find("| `instant_ngp` |") != std::string::npos);
  CHECK(md.find("| `nerf` |") != std::string::npos);
  CHECK(md.find("time to 25 dB") != std::string::npos);
  CHECK(md.find("Times are training time only") != std::string::npos);
  CHECK(md.find("| 0.2 s | 0.5 s | end |") != std::string::npos);
  CHECK(md.find("Wall time of the checks and the final evaluation") != std::string::npos);
  const nerds::Image8 png = nerds::read_image((out / "race.png").string());
  CHECK(png.width == 900);
  CHECK(png.height == 560);
}

TEST_CASE("nerds race: an unknown method name is an error listing the method files, and bad input fails before anything trains") {
  nerds_test::TempFolder tmp("race_bad");
  const fs::path out = tmp.path() / "race";
  const std::string data = "--data '" + tmp.str() + "' --seconds 1 --device cpu --out '" + out.string() + "' ";
  nerds_test::CliOutput r = nerds_test::run_nerds_cli(tmp, "race " + data + "--methods instant_ngp,no_such_method");
  CHECK(r.code == 2);
  CHECK(r.err.find("no method 'no_such_method'") != std::string::npos);
  CHECK(r.err.find("the method files in") != std::string::npos);
  for (const char* name : {"instant_ngp", "nerf", "mipnerf"}) CHECK(r.err.find(name) != std::string::npos);
  CHECK_FALSE(fs::exists(out));

  r = nerds_test::run_nerds_cli(tmp, "race " + data + "--methods nerf,instant_ngp,nerf");
  CHECK(r.code == 2);
  CHECK(r.err.find("'nerf' is listed twice") != std::string::npos);
  r = nerds_test::run_nerds_cli(tmp, "race " + data + "--methods ' , '");
  CHECK(r.code == 2);
  CHECK(r.err.find("no method given") != std::string::npos);
  r = nerds_test::run_nerds_cli(tmp, "race " + data + "--methods nerf --set encoding.no_such_key=1");
  CHECK(r.code == 2);
  CHECK(r.err.find("no_such_key") != std::string::npos);
  // Bad numbers name their option.
  for (const auto& [args, option] : {std::pair<std::string, std::string>{"--check-at 10,1e300", "--check-at"},
                                     {"--check-at 10,x", "--check-at"},
                                     {"--thresholds 25,-1", "--thresholds"},
                                     {"--check-stride 0", "--check-stride"},
                                     {"--seed -1", "--seed"}}) {
    r = nerds_test::run_nerds_cli(tmp, "race " + data + "--methods nerf " + args);
    INFO(args << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(option) != std::string::npos);
  }
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("nerds race --arm: two arms of one method with their own settings, and bad arms fail before training") {
  nerds_test::TempFolder tmp("race_arms");
  const fs::path data = tmp.path() / "scene", out = tmp.path() / "race";
  nerds_test::make_small_scene("default", data.string(), 16, 8, 2);
  const std::string common = "race --data '" + data.string() + "' --steps 3 --check-at 100 --check-stride 2 "
                             "--set trainer.batch_samples=1024 --set occupancy.resolution=16 --device cpu --out '" +
                             out.string() + "' ";
  nerds_test::CliOutput r = nerds_test::run_nerds_cli(
      tmp, common + "--arm T12=instant_ngp:encoding.log2_table_size=12,field.density_hidden=32 "
                    "--arm T10=instant_ngp:encoding.log2_table_size=10");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const nlohmann::json j = nlohmann::json::parse(nerds_test::read_text_file(out / "race.json"));
  REQUIRE(j["methods"].size() == 2);
  CHECK(j["methods"][0]["name"] == "T12");
  CHECK(j["methods"][1]["name"] == "T10");
  for (const auto& m : j["methods"]) {
    CHECK(m["method"] == "instant_ngp");
    CHECK(m["params"]["trainer"]["batch_samples"] == 1024);  // --set reaches every arm
    CHECK(m["steps"] == 3);
  }
  CHECK(j["methods"][0]["params"]["encoding"]["log2_table_size"] == 12);
  CHECK(j["methods"][0]["params"]["field"]["density_hidden"] == 32);
  CHECK(j["methods"][1]["params"]["encoding"]["log2_table_size"] == 10);
  CHECK(j["methods"][1]["params"]["field"]["density_hidden"] == 64);
  CHECK(j["methods"][1]["arm_sets"] == nlohmann::json::array({"encoding.log2_table_size=10"}));
  // Each arm its own snapshot: a smaller table, fewer parameters.
  CHECK(j["methods"][0]["snapshot"] != j["methods"][1]["snapshot"]);
  CHECK(j["methods"][0]["parameters"].get<int64_t>() > j["methods"][1]["parameters"].get<int64_t>());
  CHECK(nerds_test::read_text_file(out / "race.md").find("Arm `T10` (`instant_ngp`): `encoding.log2_table_size=10`") !=
        std::string::npos);

  fs::remove_all(out);
  for (const auto& [arm, message] : std::vector<std::pair<std::string, std::string>>{
           {"T12", "expected NAME=METHOD"},
           {"=instant_ngp", "no name"},
           {"A=", "names no method"},
           {"A=no_such_method", "no method 'no_such_method'"},
           {"A=instant_ngp:", "nothing after ':'"},
           {"A=instant_ngp:log2_table_size", "is not key=value"},
           {"A=instant_ngp:encoding.no_such_key=1", "no_such_key"},
           {"A=instant_ngp:encoding.log2_table_size=99", "log2_table_size"}}) {
    r = nerds_test::run_nerds_cli(tmp, common + "--arm '" + arm + "'");
    INFO(arm << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("--arm '" + arm + "'") != std::string::npos);
    CHECK(r.err.find(message) != std::string::npos);
  }
  r = nerds_test::run_nerds_cli(tmp, common + "--methods instant_ngp --arm instant_ngp=instant_ngp:trainer.lr=0.001");
  CHECK(r.code == 2);
  CHECK(r.err.find("already taken") != std::string::npos);
  r = nerds_test::run_nerds_cli(tmp, common);
  CHECK(r.code == 2);
  CHECK(r.err.find("no method given") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
}
