// Issue 13, class 5 ("silent nonsense accepted"), end to end: absurd camera files, command-line
// numbers, OBJ meshes, snapshot metadata and contact-sheet inputs each end with
// "nerds: error: <file or option>: <field>: ..." and exit status 2 -- never a render of
// nonsense, a run that trains forever, or "internal error: [json.exception...]".
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/train/snapshot_file.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/run_cli.h"
#include "tests/test_support/small_scene.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Exit status 2 with "nerds: error:" naming every part, and no JSON library exception.
void check_refused(const nerds_test::CliOutput& r, std::initializer_list<std::string> parts) {
  INFO("stderr: " << r.err);
  CHECK(r.code == 2);
  CHECK(r.err.find("nerds: error: ") != std::string::npos);
  CHECK(r.err.find("json.exception") == std::string::npos);
  for (const std::string& p : parts) CHECK_MESSAGE(r.err.find(p) != std::string::npos, "expected '" << p << "'");
}

std::string write_json(const fs::path& path, const json& j) {
  std::ofstream(path) << j.dump();
  return path.string();
}

const json kIdentityAt4 = json::array({{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 4}, {0, 0, 0, 1}});

// A camera file: one frame (the matrix given, default a camera at z = 4) plus `fields`.
json camera_file(const json& fields, const json& matrix = kIdentityAt4) {
  json j = fields;
  j["frames"] = json::array({{{"transform_matrix", matrix}}});
  return j;
}

// A tiny scene and a 3-step run on it, shared by the cases of one test.
struct TinyRun {
  nerds_test::TempFolder tmp{"cli_malformed"};
  std::string scene = (tmp.path() / "scene").string();
  std::string run = (tmp.path() / "run").string();
  TinyRun() {
    nerds_test::make_small_scene("default", scene, 16, 4, 2);
    const nerds_test::CliOutput r = nerds_test::run_nerds_cli(
        tmp, "train --data " + scene + " --out " + run +
                 " --steps 3 --set trainer.batch_samples=4096 --set encoding.log2_table_size=14");
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
  }
  nerds_test::CliOutput nerds(const std::string& args) const { return nerds_test::run_nerds_cli(tmp, args); }
};

}  // namespace

TEST_CASE("cli: an absurd camera file is refused by file and field, a good one renders") {
  const TinyRun t;
  const fs::path file = t.tmp.path() / "cams.json";
  const std::string out = (t.tmp.path() / "renders").string();
  auto render = [&](const json& cams) {
    return t.nerds("render --run " + t.run + " --cameras " + write_json(file, cams) + " --out " + out);
  };
  const json sized = {{"fl_x", 20}, {"w", 16}, {"h", 16}};
  auto with = [&](const char* key, const json& value) {
    json j = sized;
    j[key] = value;
    return camera_file(j);
  };
  // Focal lengths: zero and negative rendered (mirrored) before, absurd ones rendered nothing.
  for (double focal : {0.0, -100.0, 1e-300, 1e300}) check_refused(render(with("fl_x", focal)), {"cams.json", "fl_x"});
  check_refused(render(with("fl_y", 0)), {"cams.json", "fl_y"});
  check_refused(render(with("fl_x", "20")), {"cams.json", "fl_x", "expected a number"});
  for (double angle : {0.0, -1.0, 3.2, 1e-300})
    check_refused(render(camera_file({{"camera_angle_x", angle}})), {"cams.json", "camera_angle_x"});
  // Image sizes: fractional, text, zero, negative, huge.
  for (const json& w : {json(100.5), json("100"), json(0), json(-5), json(1e9)})
    check_refused(render(with("w", w)), {"cams.json", "w"});
  check_refused(render(camera_file({{"camera_angle_x", 0.7}, {"w", 16.5}})), {"cams.json", "w"});
  check_refused(render(with("cx", 1e30)), {"cams.json", "cx", "principal point"});
  check_refused(render(with("cy", -1e30)), {"cams.json", "cy", "principal point"});
  // A size without a focal length used to be ignored without a word.
  check_refused(render(camera_file({{"w", 16}, {"h", 16}})), {"cams.json", "w", "without a focal length"});
  // Python's json.dump writes Infinity for an infinite focal length.
  std::ofstream(file) << R"({"fl_x": Infinity, "w": 16, "h": 16, "frames": [{"transform_matrix": )"
                      << kIdentityAt4.dump() << "}]}";
  check_refused(t.nerds("render --run " + t.run + " --cameras " + file.string() + " --out " + out),
                {"cams.json", "fl_x", "not a finite number"});
  // Matrices: wrong shape, not a rotation, mirrored, not a number, NaN, a camera 1e30 away.
  const json matrices[] = {
      json::array({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}),
      json::array({{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}, {0, 0, 0, 1, 0}}),
      json::array({{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 4}, {0, 0, 0, 1}}),
      json::array({{-1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 4}, {0, 0, 0, 1}}),
      json::array({{1, 0, 0, "x"}, {0, 1, 0, 0}, {0, 0, 1, 4}, {0, 0, 0, 1}}),
      json::array({{1, 0, 0, nullptr}, {0, 1, 0, 0}, {0, 0, 1, 4}, {0, 0, 0, 1}}),
      json::array({{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 1e30}, {0, 0, 0, 1}}),
  };
  for (const json& m : matrices)
    check_refused(render(camera_file(sized, m)), {"cams.json", "frames[0].transform_matrix"});
  CHECK_FALSE(fs::exists(fs::path(out) / "0000.png"));

  // 16.0 is the whole number 16 (Python writes sizes as floats): accepted.
  const nerds_test::CliOutput good = render(with("w", 16.0));
  INFO("stderr: " << good.err);
  CHECK(good.code == 0);
  CHECK(fs::exists(fs::path(out) / "0000.png"));
}

TEST_CASE("cli: command-line numbers are plain decimal, whole for integer options, and bounded") {
  nerds_test::TempFolder tmp("cli_numbers");
  // Parsing fails before any file is read, so no dataset needs to exist.
  const std::string train =
      "train --data " + (tmp.path() / "no_scene").string() + " --out " + (tmp.path() / "run").string();
  auto refused = [&](const std::string& args, std::initializer_list<std::string> parts) {
    check_refused(nerds_test::run_nerds_cli(tmp, args), parts);
  };
  // --steps 1e20 passed the check before; 99999999999999999999 was clamped to INT64_MAX and
  // trained forever; 0x10 trained 16 steps.
  for (const char* steps : {"1e20", "99999999999999999999", "0x10", "2.5", "-1", "1e12", "inf", "nan", " 5"})
    refused(train + " --steps '" + std::string(steps) + "'", {"--steps"});
  for (const char* seconds : {"1e300", "inf", "nan", "1e8", "0", "-3"})
    refused(train + " --seconds " + seconds, {"--seconds"});
  refused(train + " --steps 1 --downscale 2.5", {"--downscale", "whole number"});
  refused(train + " --steps 1 --downscale 1e10", {"--downscale"});
  refused(train + " --steps 1 --log-every 1e300", {"--log-every"});
  refused("eval --run " + tmp.str() + " --stride 4294967297", {"--stride"});
  refused("eval --run " + tmp.str() + " --stride 1.5", {"--stride", "whole number"});
  refused("bench --data " + tmp.str() + " --steps 1 --check-every 1e300", {"--check-every"});
  refused("bench --data " + tmp.str() + " --steps 1 --psnr-at 10,1e300", {"--psnr-at"});
  refused("scene make default --resolution 16.5 --out " + tmp.str() + "/s", {"--resolution", "whole number"});
  refused("scene make default --views 3000000000 --out " + tmp.str() + "/s", {"--views"});
  refused("scene contact-sheet " + tmp.str() + " --columns 0.5 --out " + tmp.str() + "/sheet.png", {"--columns"});
  refused("demo --seconds 1e20 --out " + tmp.str() + "/demo", {"--seconds"});
  CHECK_FALSE(fs::exists(tmp.path() / "run"));
  CHECK_FALSE(fs::exists(tmp.path() / "s"));

  // "010" is ten (not octal eight) and "1e1" is ten too: a 10-step run either way.
  nerds_test::TempFolder data("cli_numbers_scene");
  const std::string scene = (data.path() / "scene").string();
  nerds_test::make_small_scene("default", scene, 16, 3, 1);
  for (const char* steps : {"010", "1e1"}) {
    const std::string run = (data.path() / (std::string("run_") + steps)).string();
    const nerds_test::CliOutput r =
        nerds_test::run_nerds_cli(data, "train --data " + scene + " --out " + run + " --steps " + steps +
                                            " --set trainer.batch_samples=4096 --set encoding.log2_table_size=14");
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    const json log = json::parse(nerds_test::read_text_file(fs::path(run) / "train_log.json"));
    CHECK(log["log"].back()["step"] == 10);
  }
}

TEST_CASE("cli: a scene file's OBJ mesh that cannot be read names the file and the line") {
  nerds_test::TempFolder tmp("cli_obj");
  const std::string out = (tmp.path() / "made").string();
  auto make = [&](const std::string& obj_text) {
    std::ofstream(tmp.path() / "mesh.obj") << obj_text;
    const json scene = {{"name", "obj_probe"},
                        {"purpose", "A scene whose only object is an OBJ mesh, for the error tests."},
                        {"papers", "none"},
                        {"materials", {{"grey", {{"albedo", {0.5, 0.5, 0.5}}}}}},
                        {"objects", json::array({{{"shape", "obj"}, {"file", "mesh.obj"}, {"material", "grey"}}})}};
    const std::string file = write_json(tmp.path() / "obj_probe.json", scene);
    return nerds_test::run_nerds_cli(tmp, "scene make " + file +
                                              " --resolution 8 --views 1 --val-views 0 "
                                              "--test-views 1 --spp 1 --out " +
                                              out);
  };
  const std::string triangle = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";
  // Each made an empty or partial scene without a word, or failed with no line number.
  check_refused(make("v 0 0 0\nv 1 0 0\nv abc 1 0\nf 1 2 3\n"), {"mesh.obj", "line 3", "abc"});
  check_refused(make("v 0 0 0\nv 1 0 0\nv 0 1\nf 1 2 3\n"), {"mesh.obj", "line 3"});
  check_refused(make("v 0 0 0\nv 1 0 0\nv nan 1 0\nf 1 2 3\n"), {"mesh.obj", "line 3", "nan"});
  check_refused(make(triangle + "f 1 2 99\n"), {"mesh.obj", "line 4", "99"});
  check_refused(make(triangle + "f 0 1 2\n"), {"mesh.obj", "line 4"});
  check_refused(make(triangle + "f -1 -2 -9\n"), {"mesh.obj", "line 4", "-9"});
  check_refused(make(triangle + "f 1 2\n"), {"mesh.obj", "line 4", "at least 3"});
  check_refused(make(triangle + "f 1 2 x\n"), {"mesh.obj", "line 4", "'x'"});
  check_refused(make("v 0 0 0\nv 1 0 0\nv 2 0 0\nf 1 2 3\nf 1 1 2\n"), {"mesh.obj", "no usable triangle"});
  check_refused(make(""), {"mesh.obj", "no faces"});
  CHECK_FALSE(fs::exists(fs::path(out) / "transforms_train.json"));
  // A good mesh beside a degenerate triangle is made (the degenerate one hides nothing).
  const nerds_test::CliOutput good = make(triangle + "v 2 0 0\nf 1 2 3\nf 1 2 4\n");
  INFO("stderr: " << good.err);
  CHECK(good.code == 0);
}

TEST_CASE("cli: malformed snapshot metadata names the snapshot and the field, never a JSON exception") {
  const TinyRun t;
  const nerds::SnapshotContents original = nerds::read_snapshot_file(t.run + "/snapshot.nerds");
  int copies = 0;
  // A copy of the run whose snapshot's metadata is `change`d (written with a valid checksum,
  // so only the metadata is wrong), then `nerds eval` on it.
  auto eval_with = [&](const std::function<void(json&)>& change) {
    const fs::path dir = t.tmp.path() / ("damaged_" + std::to_string(copies++));
    fs::create_directories(dir);
    fs::copy_file(fs::path(t.run) / "params.json", dir / "params.json");
    json meta = original.meta;
    change(meta);
    nerds::write_snapshot_file((dir / "snapshot.nerds").string(), meta, original.sections);
    return t.nerds("eval --run " + dir.string());
  };
  // The keys are copied: an initializer_list's array lives only until the end of the call.
  auto set = [](std::initializer_list<const char*> path, json value) {
    return [keys = std::vector<std::string>(path.begin(), path.end()), value](json& meta) {
      json* at = &meta;
      for (const std::string& key : keys) at = &(*at)[key];
      *at = value;
    };
  };
  struct Case {
    std::function<void(json&)> change;
    const char* field;
  };
  const Case cases[] = {
      {set({"step"}, "abc"), "step"},  // was "internal error: [json.exception.type_error.302]"
      {set({"step"}, 1.5), "step"},    // was accepted
      {set({"step"}, -5), "step"},
      {set({"step"}, 1e20), "step"},
      {set({"data", "downscale"}, "x"), "data.downscale"},
      {set({"data", "dir"}, 5), "data.dir"},
      {set({"data"}, 5), "data"},
      {set({"method"}, 42), "method"},
      {set({"mean_used_per_ray"}, "x"), "mean_used_per_ray"},
      {set({"mean_marched_per_ray"}, -1), "mean_marched_per_ray"},
      {set({"stats"}, "x"), "stats"},
      {set({"stats", "train_seconds"}, "x"), "stats.train_seconds"},
      {set({"stats", "rays"}, 1.5), "stats.rays"},
      {set({"meta_version"}, "x"), "meta_version"},
      {set({"meta_version"}, 99), "meta_version"},
      {set({"tensors"}, "x"), "tensors"},
      {[](json& m) { m["tensors"][0]["shape"] = "x"; }, "tensors[0].shape"},
      {[](json& m) { m["tensors"][0]["shape"] = json::array({"a"}); }, "tensors[0].shape[0]"},
      {[](json& m) { m["tensors"][0]["column_major"] = 1; }, "tensors[0].column_major"},
      {[](json& m) { m["tensors"][0]["name"] = 5; }, "tensors[0].name"},
      {[](json& m) { m["tensors"].push_back(m["tensors"][0]); }, "described twice"},
      {[](json& m) { m.erase("method"); }, "method"},
      {[](json& m) {
         m = json::array({1, 2});
       },
       "not an object"},
  };
  for (const Case& c : cases) check_refused(eval_with(c.change), {"snapshot.nerds", c.field});
  // The unchanged metadata, rewritten the same way, still evaluates.
  const nerds_test::CliOutput good = eval_with([](json&) {});
  INFO("stderr: " << good.err);
  CHECK(good.code == 0);

  // Resuming reads the run's train_log.json: a step that is not a number named the JSON
  // library's type_error before.
  const fs::path log_file = fs::path(t.run) / "train_log.json";
  json log = json::parse(nerds_test::read_text_file(log_file));
  log["log"][0]["step"] = "three";
  write_json(log_file, log);
  check_refused(t.nerds("train --resume " + t.run + " --steps 1"), {"train_log.json", "log[0].step"});
}

TEST_CASE("cli: a contact sheet's malformed transforms file names the file and the field") {
  nerds_test::TempFolder tmp("cli_sheet");
  const fs::path scene = tmp.path() / "scene";
  nerds_test::make_small_scene("default", scene.string(), 16, 2, 1);
  const fs::path transforms = scene / "transforms_test.json";
  const json original = json::parse(nerds_test::read_text_file(transforms));
  const std::string sheet = "scene contact-sheet " + scene.string() + " --out " + (tmp.path() / "sheet.png").string();
  for (const json& label : {json(42), json::array({"a"}), json::object()}) {
    json j = original;
    j["scene"] = label;
    write_json(transforms, j);
    check_refused(nerds_test::run_nerds_cli(tmp, sheet), {"transforms_test.json", "scene", "expected a string"});
  }
  write_json(transforms, json::array({1}));
  check_refused(nerds_test::run_nerds_cli(tmp, sheet), {"transforms_test.json", "expected a JSON object"});
  CHECK_FALSE(fs::exists(tmp.path() / "sheet.png"));
  write_json(transforms, original);
  CHECK(nerds_test::run_nerds_cli(tmp, sheet).code == 0);
  CHECK(fs::exists(tmp.path() / "sheet.png"));
}
