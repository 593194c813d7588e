// `nerds render --path`: a camera path's frames from a tiny trained run, as PNGs and, where
// ffmpeg is installed, as an MP4; without ffmpeg the frames are written and the message says
// which package to install.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

#include "camera_path/camera_path_file.h"
#include "renderer/data/image_io.h"
#include "renderer/data/json_fields.h"
#include "tests/test_support/run_cli.h"
#include "tests/test_support/small_scene.h"
#include "tests/test_support/text_files.h"

namespace fs = std::filesystem;
using nerds_test::run_nerds_cli;

namespace {

using nerds_test::contains;


bool have_program(const char* name) { return std::system(("command -v " + std::string(name) + " >/dev/null 2>&1").c_str()) == 0; }

// A path through the first two training cameras (world frame), one second apart.
nerds::CameraPath path_through_training_cameras(const fs::path& scene) {
  const nlohmann::json transforms = nerds::json_fields::read_json_file((scene / "transforms_train.json").string());
  nerds::CameraPath path;
  for (int i = 0; i < 2; ++i) {
    const nerds::Pose pose =
        nerds::json_fields::read_pose(transforms["frames"][i], "transforms_train.json", "frames[" + std::to_string(i) + "]");
    path.keys.push_back(nerds::camera_key(pose, 40.f + 10.f * i, 1.f));  // the field of view widens
  }
  return path;
}

// The number of video frames ffprobe counts in `video`, or -1.
int video_frames(const nerds_test::TempFolder& tmp, const fs::path& video) {
  const fs::path out = tmp.path() / "ffprobe.txt";
  const std::string cmd = "ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames "
                          "-of csv=p=0 '" + video.string() + "' >'" + out.string() + "' 2>&1";
  if (std::system(cmd.c_str()) != 0) return -1;
  return std::atoi(nerds_test::read_text_file(out).c_str());
}

}  // namespace

TEST_CASE("cli render --path: a tiny run's camera path to frames, and to an MP4 where ffmpeg is installed") {
  nerds_test::TempFolder tmp("render_path");
  const fs::path scene = tmp.path() / "scene", run = tmp.path() / "run";
  nerds_test::make_small_scene("default", scene.string(), 16, 4, 1);
  nerds_test::CliOutput r =
      run_nerds_cli(tmp, "train --data '" + scene.string() + "' --set trainer.batch_samples=4096 "
                         "--set encoding.log2_table_size=14 --steps 3 --out '" + run.string() + "'");
  INFO("train stderr: " << r.err);
  REQUIRE(r.code == 0);
  const fs::path path_file = tmp.path() / "path.json";
  nerds::write_camera_path(path_file.string(), path_through_training_cameras(scene));

  // 1 s at 2 fps: frames at 0, 0.5 and 1 s.
  const fs::path frames = tmp.path() / "frames";
  const std::string render = "render --run '" + run.string() + "' --path '" + path_file.string() +
                             "' --fps 2 --width 12 --out '" + frames.string() + "'";
  r = run_nerds_cli(tmp, render);
  INFO("render stderr: " << r.err);
  REQUIRE(r.code == 0);
  for (const char* f : {"0000.png", "0001.png", "0002.png", "0000_depth.png", "cameras.json"})
    CHECK_MESSAGE(fs::exists(frames / f), f);
  CHECK_FALSE(fs::exists(frames / "0003.png"));
  const nlohmann::json cameras = nerds::json_fields::read_json_file((frames / "cameras.json").string());
  REQUIRE(cameras["frames"].size() == 3);
  CHECK(cameras["w"] == 12);
  // The field of view changes along the path: the later frames carry their own focal length.
  CHECK_FALSE(cameras["frames"][0].contains("fl_x"));
  REQUIRE(cameras["frames"][2].contains("fl_y"));
  CHECK(cameras["frames"][2]["fl_y"].get<double>() < cameras["fl_y"].get<double>());
  // ... which `render --cameras` reads: the same images again.
  const fs::path again = tmp.path() / "again";
  r = run_nerds_cli(tmp, "render --run '" + run.string() + "' --cameras '" + (frames / "cameras.json").string() +
                             "' --out '" + again.string() + "'");
  REQUIRE(r.code == 0);
  for (const char* f : {"0000.png", "0002.png"})
    CHECK_MESSAGE(nerds_test::read_text_file(again / f) == nerds_test::read_text_file(frames / f), f);

  // --path excludes --orbit and --cameras; --video needs --path.
  r = run_nerds_cli(tmp, render + " --orbit 2");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--path"));
  r = run_nerds_cli(tmp, "render --run '" + run.string() + "' --orbit 2 --video '" +
                             (tmp.path() / "x.mp4").string() + "' --out '" + frames.string() + "'");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--video"));

  // Without ffmpeg on PATH: the frames, and a message naming the package.
  const fs::path video = tmp.path() / "videos" / "path.mp4";
  const fs::path no_ffmpeg_frames = tmp.path() / "frames_no_ffmpeg";
  {
    const std::string saved_path = std::getenv("PATH") ? std::getenv("PATH") : "";
    setenv("PATH", (tmp.path() / "empty_bin").string().c_str(), 1);
    r = run_nerds_cli(tmp, "render --run '" + run.string() + "' --path '" + path_file.string() +
                               "' --fps 2 --width 12 --out '" + no_ffmpeg_frames.string() + "' --video '" +
                               video.string() + "'");
    setenv("PATH", saved_path.c_str(), 1);
    INFO("stderr: " << r.err);
    CHECK(r.code == 2);
    CHECK(contains(r.err, "ffmpeg"));
    CHECK(contains(r.err, "Debian package ffmpeg"));
    CHECK(fs::exists(no_ffmpeg_frames / "0002.png"));
    CHECK_FALSE(fs::exists(video));
  }

  if (!have_program("ffmpeg")) {
    MESSAGE("the MP4 part skipped: ffmpeg is not installed (Debian package ffmpeg)");
    return;
  }
  r = run_nerds_cli(tmp, render + " --video '" + video.string() + "'");
  INFO("render --video stderr: " << r.err);
  REQUIRE(r.code == 0);
  REQUIRE(fs::exists(video));
  CHECK(fs::file_size(video) > 0);
  CHECK_FALSE(fs::exists(video.string() + ".tmp"));
  if (have_program("ffprobe"))
    CHECK(video_frames(tmp, video) == 3);
  else
    MESSAGE("frame count not checked: ffprobe is not installed");
}

TEST_CASE("cli render --path: a bad camera path file is refused naming the file and the field") {
  nerds_test::TempFolder tmp("render_path_bad");
  const fs::path bad = tmp.path() / "bad_path.json";
  std::ofstream(bad) << R"({"nerds_camera_path": 1, "keys": [{"position": [0, 0, 4], "orientation_wxyz": [2, 0, 0, 0]}]})";
  // The path is read before the run: no run is needed to see the error.
  const nerds_test::CliOutput r = run_nerds_cli(tmp, "render --run '" + (tmp.path() / "no_run").string() + "' --path '" +
                                                         bad.string() + "' --out '" + (tmp.path() / "o").string() + "'");
  INFO("stderr: " << r.err);
  CHECK(r.code == 2);
  CHECK(contains(r.err, "bad_path.json"));
  CHECK(contains(r.err, "keys[0].orientation_wxyz"));
}

TEST_CASE("cli render --run-b: two tiny runs along one camera path, side by side (A | B), and the MP4") {
  nerds_test::TempFolder tmp("render_path_compare");
  const fs::path scene = tmp.path() / "scene", other_scene = tmp.path() / "other_scene";
  const fs::path run_a = tmp.path() / "run_a", run_b = tmp.path() / "run_b", run_other = tmp.path() / "run_other";
  nerds_test::make_small_scene("default", scene.string(), 16, 4, 1);
  nerds_test::make_small_scene("default", other_scene.string(), 20, 4, 1);
  const std::string train = "train --set trainer.batch_samples=4096 --set encoding.log2_table_size=14 ";
  for (const auto& [data, run, steps] : {std::tuple{scene, run_a, 3}, std::tuple{scene, run_b, 6},
                                         std::tuple{other_scene, run_other, 3}}) {
    const nerds_test::CliOutput r = run_nerds_cli(tmp, train + "--data '" + data.string() + "' --steps " +
                                                           std::to_string(steps) + " --out '" + run.string() + "'");
    INFO("train stderr: " << r.err);
    REQUIRE(r.code == 0);
  }
  const fs::path path_file = tmp.path() / "path.json";
  nerds::write_camera_path(path_file.string(), path_through_training_cameras(scene));

  // Arm B as a snapshot file, as a viewer compare session saves it (NAME-b.nerds).
  const fs::path frames = tmp.path() / "frames";
  const std::string render = "render --run '" + run_a.string() + "' --run-b '" + (run_b / "snapshot.nerds").string() +
                             "' --path '" + path_file.string() + "' --fps 2 --width 12 --out '" + frames.string() + "'";
  nerds_test::CliOutput r = run_nerds_cli(tmp, render);
  INFO("render stderr: " << r.err);
  REQUIRE(r.code == 0);
  for (int i = 0; i < 3; ++i) {
    const std::string name = "000" + std::to_string(i) + ".png";
    const nerds::Image8 both = nerds::read_image((frames / name).string(), 3);
    const nerds::Image8 a = nerds::read_image((frames / "a" / name).string(), 3);
    const nerds::Image8 b = nerds::read_image((frames / "b" / name).string(), 3);
    REQUIRE(a.width == 12);
    CHECK(b.width == 12);
    CHECK(both.width == 2 * a.width);
    CHECK(both.height == a.height);
    // A on the left, B on the right, pixel for pixel.
    bool left_is_a = true, right_is_b = true;
    for (int y = 0; y < a.height; ++y)
      for (int x = 0; x < a.width * 3; ++x) {
        const size_t row = static_cast<size_t>(y) * both.width * 3;
        left_is_a = left_is_a && both.pixels[row + x] == a.pixels[static_cast<size_t>(y) * a.width * 3 + x];
        right_is_b = right_is_b && both.pixels[row + a.width * 3 + x] == b.pixels[static_cast<size_t>(y) * b.width * 3 + x];
      }
    CHECK_MESSAGE(left_is_a, name);
    CHECK_MESSAGE(right_is_b, name);
    CHECK(a.pixels != b.pixels);  // the arms trained for different steps
  }
  CHECK_FALSE(fs::exists(frames / "0003.png"));
  CHECK(fs::exists(frames / "b" / "cameras.json"));

  // Mismatched inputs are refused naming the option.
  r = run_nerds_cli(tmp, "render --run '" + run_a.string() + "' --run-b '" + run_other.string() + "' --path '" +
                             path_file.string() + "' --fps 2 --out '" + (tmp.path() / "mismatch").string() + "'");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--run-b"));
  CHECK(contains(r.err, "20x20"));
  r = run_nerds_cli(tmp, "render --run '" + run_a.string() + "' --run-b '" + run_a.string() + "' --path '" +
                             path_file.string() + "' --out '" + (tmp.path() / "same").string() + "'");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--run-b"));
  r = run_nerds_cli(tmp, "render --run '" + run_a.string() + "' --run-b '" + (tmp.path() / "no_run").string() +
                             "' --path '" + path_file.string() + "' --out '" + (tmp.path() / "missing").string() + "'");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "no_run"));

  if (!have_program("ffmpeg")) {
    MESSAGE("the MP4 part skipped: ffmpeg is not installed (Debian package ffmpeg)");
    return;
  }
  const fs::path video = tmp.path() / "compare.mp4";
  r = run_nerds_cli(tmp, render + " --video '" + video.string() + "'");
  INFO("render --video stderr: " << r.err);
  REQUIRE(r.code == 0);
  REQUIRE(fs::exists(video));
  CHECK(fs::file_size(video) > 0);
  if (have_program("ffprobe")) CHECK(video_frames(tmp, video) == 3);
}
