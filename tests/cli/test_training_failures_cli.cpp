// `nerds` end to end on training that would compute nothing or NaN: refused when loading or
// when setting the optimizer (exit status 2, the file or parameter named, no snapshot), and a
// diverged snapshot is refused by eval, render and resume instead of printing "PSNR nan".
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/train/snapshot_file.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/run_cli.h"
#include "tests/test_support/small_scene.h"

namespace fs = std::filesystem;
using nerds_test::CliOutput;
using nerds_test::run_nerds_cli;

namespace {

using nerds_test::kFastTraining;


void check_input_error(const CliOutput& r, std::initializer_list<std::string> parts) {
  INFO("stderr: " << r.err);
  CHECK(r.code == 2);
  CHECK(r.err.find("nerds: error: ") != std::string::npos);
  for (const std::string& p : parts) CHECK_MESSAGE(r.err.find(p) != std::string::npos, "expected '" << p << "'");
}

// Every camera of the NeRF-synthetic folder turned 180 degrees about its own up axis.
void turn_cameras_around(const fs::path& scene) {
  for (const char* split : {"train", "val", "test"}) {
    const fs::path file = scene / ("transforms_" + std::string(split) + ".json");
    if (!fs::exists(file)) continue;
    nlohmann::json j = nlohmann::json::parse(nerds_test::read_text_file(file));
    for (nlohmann::json& f : j["frames"])
      for (int r = 0; r < 3; ++r) {
        f["transform_matrix"][r][0] = -f["transform_matrix"][r][0].get<double>();
        f["transform_matrix"][r][2] = -f["transform_matrix"][r][2].get<double>();
      }
    std::ofstream(file) << j.dump();
  }
}

}  // namespace

TEST_CASE("cli: cameras facing away and Adam settings that divide by zero are refused before training") {
  nerds_test::TempFolder tmp("cli_train_refused");
  const fs::path scene = tmp.path() / "scene";
  nerds_test::make_small_scene("default", scene.string(), 16, 4, 2);
  const fs::path run = tmp.path() / "run";
  for (const char* setting : {"trainer.beta1=1", "trainer.beta2=1", "trainer.eps=0", "trainer.lr=-1"}) {
    CAPTURE(setting);
    const std::string name = std::string(setting).substr(0, std::string(setting).find('='));
    check_input_error(run_nerds_cli(tmp, "train --data '" + scene.string() + "' " + kFastTraining + " --set " + setting +
                                             " --steps 3 --out '" + run.string() + "'"),
                      {name, "out of range"});
  }
  turn_cameras_around(scene);
  check_input_error(
      run_nerds_cli(tmp, "train --data '" + scene.string() + "' " + kFastTraining + " --steps 3 --out '" + run.string() + "'"),
      {"transforms_train.json", "frames", "sees the scene box", "face away"});
  CHECK_FALSE(fs::exists(run / "snapshot.nerds"));
}

TEST_CASE("cli: a run whose rays stop reaching the box stops with status 2 and keeps its last snapshot") {
  nerds_test::TempFolder tmp("cli_no_samples");
  const fs::path scene = tmp.path() / "scene";
  nerds_test::make_small_scene("default", scene.string(), 16, 4, 2);
  // scale 100: the cameras stand ~400 box units away, the box is a twentieth of a pixel in
  // their views. Loading accepts it (the box's center projects into every image), but almost
  // no pixel's ray meets it: training soon runs on zero samples.
  for (const char* split : {"train", "test"}) {
    const fs::path file = scene / ("transforms_" + std::string(split) + ".json");
    nlohmann::json j = nlohmann::json::parse(nerds_test::read_text_file(file));
    j["scale"] = 100.0;
    std::ofstream(file) << j.dump();
  }
  const fs::path run = tmp.path() / "run";
  const CliOutput r = run_nerds_cli(tmp, "train --data '" + scene.string() + "' " + kFastTraining +
                                             " --steps 400 --snapshot-every 10 --out '" + run.string() + "'");
  check_input_error(r, {"no sample reached the model for 50 steps", "scene box", "keeps the last model saved before"});
  // The snapshot kept is an intact one written before the failure.
  const nerds::SnapshotContents kept = nerds::read_snapshot_file((run / "snapshot.nerds").string());
  const int step = kept.meta["step"];
  CHECK(step % 10 == 0);
  CHECK(step < 400);
}

TEST_CASE("cli: eval, render and resume refuse a snapshot whose weights hold NaN, naming it") {
  nerds_test::TempFolder tmp("cli_nan_snapshot");
  const fs::path scene = tmp.path() / "scene";
  nerds_test::make_small_scene("default", scene.string(), 16, 4, 2);
  const fs::path run = tmp.path() / "run";
  CliOutput r =
      run_nerds_cli(tmp, "train --data '" + scene.string() + "' " + kFastTraining + " --steps 3 --out '" + run.string() + "'");
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);

  // One weight of the first tensor set to NaN, the file rewritten whole (a valid checksum).
  const std::string snapshot = (run / "snapshot.nerds").string();
  nerds::SnapshotContents contents = nerds::read_snapshot_file(snapshot);
  const std::string tensor = contents.meta["tensors"][0]["name"];
  for (nerds::SnapshotSection& s : contents.sections)
    if (s.name == tensor) {
      const float nan = std::numeric_limits<float>::quiet_NaN();
      std::memcpy(s.bytes.data(), &nan, sizeof nan);
    }
  nerds::write_snapshot_file(snapshot, contents.meta, contents.sections);

  r = run_nerds_cli(tmp, "eval --run '" + run.string() + "'");
  check_input_error(r, {"snapshot.nerds", tensor, "NaN or infinite", "diverged"});
  CHECK(r.out.find("PSNR") == std::string::npos);
  CHECK_FALSE(fs::exists(run / "metrics.json"));
  check_input_error(run_nerds_cli(tmp, "render --run '" + run.string() + "' --orbit 1 --width 8 --out '" +
                                           (tmp.path() / "renders").string() + "'"),
                    {"snapshot.nerds", tensor, "diverged"});
  check_input_error(run_nerds_cli(tmp, "train --resume '" + run.string() + "' --steps 2"),
                    {"snapshot.nerds", tensor, "diverged"});
}
