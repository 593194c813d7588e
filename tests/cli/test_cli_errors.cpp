// The `nerds` executable end to end: bad inputs end with "nerds: error: <message naming the
// file or field>" and exit status 2 (never a crash); a tiny train -> eval -> render works.
// The binary is found beside this test executable (both are built in the same folder).
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/core/params.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/text_files.h"
#include "tests/test_support/run_cli.h"

namespace fs = std::filesystem;

namespace {

using nerds_test::kFastTraining;

using nerds_test::contains;

fs::path nerds_binary() {
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  return exe.parent_path() / "nerds";
}

struct Result {
  int code = -1;
  std::string out, err;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `nerds <args>` (args already shell-quoted where needed) with stdout/stderr captured.
Result run_nerds(const nerds_test::TempFolder& tmp, const std::string& args) {
  const fs::path bin = nerds_binary();
  REQUIRE_MESSAGE(fs::exists(bin), "the nerds executable is not built beside nerds_tests: " << bin.string());
  const fs::path out = tmp.path() / "stdout.txt", err = tmp.path() / "stderr.txt";
  const std::string cmd =
      quoted(bin.string()) + " " + args + " >" + quoted(out.string()) + " 2>" + quoted(err.string()) + " </dev/null";
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}


// Exit status 2 and one "nerds: error:" line that contains every part.
void check_input_error(const Result& r, std::initializer_list<std::string> parts) {
  INFO("stderr: " << r.err);
  CHECK(r.code == 2);
  CHECK(contains(r.err, "nerds: error: "));
  for (const std::string& p : parts) CHECK_MESSAGE(contains(r.err, p), "expected '" << p << "' in the message");
}

std::string tiny_scene(const nerds_test::TempFolder& tmp) {
  const std::string dir = (tmp.path() / "scene").string();
  nerds::scenes::SceneOptions o;
  o.resolution = 16;
  o.train_views = 4;
  o.val_views = 1;
  o.test_views = 3;
  o.samples_per_pixel = 1;
  nerds::scenes::make_scene("default", dir, o);
  return dir;
}


}  // namespace

TEST_CASE("cli errors: bad inputs exit with status 2 and name the file or field") {
  nerds_test::TempFolder tmp("cli_errors");
  const std::string scene = tiny_scene(tmp);
  const std::string run = (tmp.path() / "run").string();

  {  // a missing --data folder
    const std::string missing = (tmp.path() / "no_such_scene").string();
    check_input_error(run_nerds(tmp, "train --data " + quoted(missing) + " --out " + quoted(run) + " --steps 1"),
                      {"no_such_scene"});
  }
  {  // a malformed method file: the file, line and column
    const fs::path bad = tmp.path() / "broken_method.json";
    std::ofstream(bad) << "{\"name\": \"x\",\n \"params\": {\"encoding\": {\"levels\": 8,}}}\n";
    check_input_error(run_nerds(tmp, "train --data " + quoted(scene) + " --method " + quoted(bad.string()) + " --out " +
                                         quoted(run) + " --steps 1"),
                      {"broken_method.json", "line 2"});
  }
  {  // a method file with an unknown parameter
    const fs::path bad = tmp.path() / "typo_method.json";
    std::ofstream(bad) << R"({"name": "x", "params": {"encoding": {"levelz": 8}}})";
    check_input_error(run_nerds(tmp, "params --method " + quoted(bad.string())),
                      {"typo_method.json", "encoding.levelz"});
  }
  {  // an unknown --set key
    check_input_error(run_nerds(tmp, "train --data " + quoted(scene) + " --set encoding.levelz=3 --out " + quoted(run)),
                      {"--set", "encoding.levelz", "encoding.levels"});
  }
  {  // a value of the wrong type
    check_input_error(
        run_nerds(tmp, "train --data " + quoted(scene) + " --set encoding.levels=abc --out " + quoted(run)),
        {"encoding.levels", "abc"});
  }
  {  // eval on a run folder without a snapshot
    fs::create_directories(tmp.path() / "empty_run");
    check_input_error(run_nerds(tmp, "eval --run " + quoted((tmp.path() / "empty_run").string())),
                      {"empty_run", "snapshot.nerds"});
  }
  {  // eval on a folder that does not exist
    check_input_error(run_nerds(tmp, "eval --run " + quoted((tmp.path() / "no_run").string())), {"no_run"});
  }
  {  // a corrupt snapshot file
    fs::create_directories(tmp.path() / "corrupt_run");
    std::ofstream(tmp.path() / "corrupt_run" / "snapshot.nerds", std::ios::binary) << "NERDSNAP this is not a snapshot";
    check_input_error(run_nerds(tmp, "eval --run " + quoted((tmp.path() / "corrupt_run").string())),
                      {"corrupt_run", "snapshot.nerds"});
  }
  {  // the CUDA device in a CPU build
    check_input_error(
        run_nerds(tmp, "train --data " + quoted(scene) + " --out " + quoted(run) + " --steps 1 --device cuda"),
        {"CUDA"});
  }
  {  // CLI11 parse errors: unknown option, bad number, no command
    check_input_error(run_nerds(tmp, "eval --run " + quoted(run) + " --bogus-option"), {"--bogus-option"});
    check_input_error(run_nerds(tmp, "train --data " + quoted(scene) + " --out " + quoted(run) + " --steps many"),
                      {"--steps"});
    check_input_error(run_nerds(tmp, ""), {});
    check_input_error(run_nerds(tmp, "scene make no_such_scene_name --out " + quoted(run)), {"no_such_scene_name"});
  }
  // None of the failures above left a run behind.
  CHECK_FALSE(fs::exists(fs::path(run) / "snapshot.nerds"));
}

TEST_CASE("cli: train, eval and render a tiny run, and a damaged snapshot is refused") {
  nerds_test::TempFolder tmp("cli_run");
  const std::string scene = tiny_scene(tmp);
  const fs::path run = tmp.path() / "run";

  Result r = run_nerds(tmp, "train --data " + quoted(scene) + " " + kFastTraining + " --steps 3 --out " + quoted(run.string()));
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  CHECK(fs::exists(run / "snapshot.nerds"));
  const nlohmann::json params = nlohmann::json::parse(read_text(run / "params.json"));
  CHECK(params["name"] == "instant_ngp");
  CHECK(params["params"]["encoding"]["log2_table_size"] == 14);
  const nlohmann::json log = nlohmann::json::parse(read_text(run / "train_log.json"));
  REQUIRE(log["log"].size() >= 1);
  CHECK(log["log"].back()["step"] == 3);

  // params.json is a method file.
  r = run_nerds(tmp, "params --method " + quoted((run / "params.json").string()));
  CHECK(r.code == 0);
  CHECK(contains(r.out, "encoding.log2_table_size"));

  r = run_nerds(tmp, "eval --run " + quoted(run.string()) + " --stride 2");
  REQUIRE(r.code == 0);
  const nlohmann::json metrics = nlohmann::json::parse(read_text(run / "metrics.json"));
  CHECK(metrics["views"] == 2);
  CHECK(metrics["per_view"].size() == 2);
  CHECK(metrics["psnr"].is_number());
  CHECK(fs::exists(run / "eval" / "test" / "r_2_err.png"));

  const fs::path renders = tmp.path() / "renders";
  r = run_nerds(tmp,
                "render --run " + quoted(run.string()) + " --orbit 2 --width 12 --out " + quoted(renders.string()));
  REQUIRE(r.code == 0);
  for (const char* f : {"0000.png", "0001.png", "0000_depth.png", "0001_depth.png", "cameras.json"})
    CHECK_MESSAGE(fs::exists(renders / f), f);
  // cameras.json renders the same images again.
  const fs::path again = tmp.path() / "again";
  r = run_nerds(tmp, "render --run " + quoted(run.string()) + " --cameras " +
                         quoted((renders / "cameras.json").string()) + " --out " + quoted(again.string()));
  REQUIRE(r.code == 0);
  CHECK(read_text(again / "0001.png") == read_text(renders / "0001.png"));

  // Resume: 2 more steps.
  r = run_nerds(tmp, "train --resume " + quoted(run.string()) + " --steps 2");
  REQUIRE(r.code == 0);
  const nlohmann::json log2 = nlohmann::json::parse(read_text(run / "train_log.json"));
  CHECK(log2["log"].back()["step"] == 5);

  // One flipped byte in the middle of the snapshot.
  {
    std::fstream f(run / "snapshot.nerds", std::ios::in | std::ios::out | std::ios::binary);
    const auto size = fs::file_size(run / "snapshot.nerds");
    f.seekg(static_cast<std::streamoff>(size / 2));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.write(&c, 1);
  }
  check_input_error(run_nerds(tmp, "eval --run " + quoted(run.string())), {"snapshot.nerds"});
  // A truncated one.
  fs::resize_file(run / "snapshot.nerds", 100);
  check_input_error(run_nerds(tmp, "render --run " + quoted(run.string()) + " --orbit 1 --out " +
                                       quoted((tmp.path() / "x").string())),
                    {"snapshot.nerds"});
}

TEST_CASE("cli: scenes/methods/instant_ngp.json holds exactly the default parameters") {
  nerds::ParamSet from_file = nerds::default_method_params();
  const std::string name =
      nerds::load_method_file(std::string(NERDS_SOURCE_DIR) + "/scenes/methods/instant_ngp.json", from_file);
  CHECK(name == "instant_ngp");
  CHECK(from_file.changed_since(nerds::default_method_params()).empty());
  // ... and it lists every parameter, so the file documents them all.
  const nlohmann::json j =
      nlohmann::json::parse(read_text(fs::path(NERDS_SOURCE_DIR) / "scenes" / "methods" / "instant_ngp.json"));
  CHECK(j["params"] == nerds::default_method_params().to_json());
}

TEST_CASE("cli errors: sizes that would allocate too much are refused by name, before allocating") {
  nerds_test::TempFolder tmp("cli_sizes");
  const std::string scene = tiny_scene(tmp);
  const std::string run = (tmp.path() / "run").string(), out = (tmp.path() / "renders").string();
  // Option checks: no run needs to exist for these to fail, by the option's name.
  check_input_error(run_nerds(tmp, "render --run " + quoted(run) + " --orbit 2 --width 100000 --out " + quoted(out)),
                    {"--width", "16384"});
  check_input_error(run_nerds(tmp, "render --run " + quoted(run) + " --orbit 2 --height 20000 --out " + quoted(out)),
                    {"--height", "16384"});
  check_input_error(run_nerds(tmp, "render --run " + quoted(run) + " --orbit 2000000000 --out " + quoted(out)),
                    {"--orbit"});
  check_input_error(run_nerds(tmp, "scene make default --views 2000000000 --out " + quoted(out)), {"--views"});
  CHECK_FALSE(fs::exists(out));
  // A scene box of 1e9 crashed training, 1e30 hung it: now the dataset's file and field.
  const fs::path transforms = fs::path(scene) / "transforms_train.json";
  nlohmann::json root = nlohmann::json::parse(read_text(transforms));
  for (double huge : {1e9, 1e30}) {
    root["aabb_scale"] = huge;
    std::ofstream(transforms) << root.dump();
    check_input_error(run_nerds(tmp, "train --data " + quoted(scene) + " --out " + quoted(run) + " --steps 1"),
                      {"transforms_train.json", "aabb_scale"});
  }
  CHECK_FALSE(fs::exists(fs::path(run) / "snapshot.nerds"));
}
