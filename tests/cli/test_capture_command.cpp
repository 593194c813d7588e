// `nerds capture` end to end: a short clip the test makes itself (the unbounded sample scene's
// test ring, 2.5 degrees a frame, encoded by ffmpeg) goes through frame extraction and COLMAP
// into a dataset the engine loads; without colmap or ffmpeg the command says which package to
// install. The clip test needs both programs and skips with a message when one is absent.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <string>

#include "renderer/data/dataset.h"
#include "renderer/data/json_fields.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/run_cli.h"

namespace fs = std::filesystem;

namespace {

bool have_program(const std::string& name) { return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0; }

// PATH for the duration of a scope.
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& path) : old_(std::getenv("PATH") ? std::getenv("PATH") : "") {
    setenv("PATH", path.c_str(), 1);
  }
  ~ScopedPath() { setenv("PATH", old_.c_str(), 1); }

 private:
  std::string old_;
};

}  // namespace

TEST_CASE("nerds capture: a missing colmap or ffmpeg names the package to install") {
  nerds_test::TempFolder tmp("capture_missing");
  fs::create_directories(tmp.path() / "photos");
  fs::path video = tmp.path() / "clip.mp4";
  std::ofstream(video) << "not a video";
  ScopedPath no_programs((tmp.path() / "empty_bin").string());
  const nerds_test::CliOutput photos =
      nerds_test::run_nerds_cli(tmp, "capture '" + (tmp.path() / "photos").string() + "' --out '" + tmp.str() + "/a'");
  CHECK(photos.code == 2);
  CHECK(photos.err.find("colmap: not found on PATH: install the Debian package colmap") != std::string::npos);
  const nerds_test::CliOutput clip =
      nerds_test::run_nerds_cli(tmp, "capture '" + video.string() + "' --out '" + tmp.str() + "/b'");
  CHECK(clip.code == 2);
  CHECK(clip.err.find("ffmpeg: not found on PATH: install the Debian package ffmpeg") != std::string::npos);
}

TEST_CASE("nerds capture: --out must be new, empty or an earlier capture") {
  nerds_test::TempFolder tmp("capture_out");
  fs::create_directories(tmp.path() / "photos");
  fs::create_directories(tmp.path() / "notes");
  std::ofstream(tmp.path() / "notes" / "todo.txt") << "keep me";
  const std::string photos = "capture '" + (tmp.path() / "photos").string() + "' --out '" + tmp.str() + "/notes'";
  const nerds_test::CliOutput plain = nerds_test::run_nerds_cli(tmp, photos);
  CHECK(plain.code == 2);
  CHECK(plain.err.find("notes: is not empty (use --overwrite") != std::string::npos);
  const nerds_test::CliOutput overwrite = nerds_test::run_nerds_cli(tmp, photos + " --overwrite");
  CHECK(overwrite.code == 2);
  CHECK(overwrite.err.find("holds no earlier capture") != std::string::npos);
  CHECK(fs::exists(tmp.path() / "notes" / "todo.txt"));
  const nerds_test::CliOutput missing = nerds_test::run_nerds_cli(tmp, "capture '" + tmp.str() + "/nothing' --out x");
  CHECK(missing.code == 2);
  CHECK(missing.err.find("nothing: not found (give a folder of photos or a video file)") != std::string::npos);
}

TEST_CASE("nerds capture slow: a video of the sample scene registers in COLMAP and loads") {
  if (!have_program("colmap") || !have_program("ffmpeg")) {
    MESSAGE("skipped: colmap or ffmpeg is not installed (scripts/install-deps.sh installs both)");
    return;
  }
  nerds_test::TempFolder tmp("capture_video");
  // 144 ring views: 2.5 degrees apart; the clip holds the first 40 (a 100 degree arc).
  nerds::scenes::SceneOptions options;
  options.resolution = 160;
  options.train_views = 1;
  options.val_views = 0;
  options.test_views = 144;
  options.samples_per_pixel = 1;
  nerds::scenes::make_scene("unbounded", (tmp.path() / "scene").string(), options);
  const fs::path clip = tmp.path() / "clip.mp4";
  const std::string encode = "ffmpeg -nostdin -loglevel error -y -framerate 24 -i '" +
                             (tmp.path() / "scene" / "test" / "r_%d.png").string() +
                             "' -frames:v 40 -c:v libx264 -pix_fmt yuv420p '" + clip.string() + "'";
  REQUIRE(std::system(encode.c_str()) == 0);

  // 20 frames (one per window of 2), few features, one focal length and no distortion (the
  // scene maker's camera is an ideal pinhole; OPENCV's four parameters are not determined by 20
  // tiny frames, and with SIMPLE_RADIAL one run in three beside other tests came out with a
  // camera the distortion check refused, 2026-12-07) and COLMAP's thresholds for its first pair
  // lowered to what 160-pixel frames 5 degrees apart give. The loader's SIMPLE_RADIAL and OPENCV
  // conversions are tested on written models (tests/data/test_colmap_loader.cpp).
  const fs::path out = tmp.path() / "dataset";
  const nerds_test::CliOutput run = nerds_test::run_nerds_cli(
      tmp, "capture '" + clip.string() + "' --out '" + out.string() +
               "' --frames 20 --max-features 1024 --camera-model SIMPLE_PINHOLE"
               " --mapper-option Mapper.init_min_tri_angle=4 --mapper-option Mapper.init_min_num_inliers=30"
               " --mapper-option Mapper.abs_pose_min_num_inliers=15"
               // One thread: the same bundle adjustments whatever the machine's load (a run
               // beside other tests once failed, not reproduced since).
               " --mapper-option Mapper.num_threads=1");
  INFO("stdout: " << run.out << "\nstderr: " << run.err);
  REQUIRE(run.code == 0);
  for (const char* stage : {"[1/5] images", "[2/5] features", "[3/5] matching", "[4/5] mapping", "[5/5] dataset"})
    CHECK(run.err.find(stage) != std::string::npos);
  const nlohmann::json report = nerds::json_fields::read_json_file((out / "capture_report.json").string());
  CHECK(report.at("images") == 20);
  CHECK(report.at("kind") == "video");
  CHECK(report.at("matcher") == "sequential");
  // COLMAP's matching and RANSAC vary between runs: 13 of the 20 frames registered in one CI
  // run, at least 15 in others. Half is what `nerds capture` itself requires (it stops below).
  const int registered = report.at("registered").get<int>();
  CHECK(registered >= 10);
  CHECK(report.at("mean_reprojection_error_px").get<double>() < 2.0);
  const nerds::Dataset all = nerds::load_dataset(out.string(), nerds::DatasetOptions{"all", 1, true});
  CHECK(all.format == "transforms");
  CHECK(static_cast<int>(all.frames.size()) == registered);
  CHECK(all.frames[0].intrinsics.width == 160);
}
