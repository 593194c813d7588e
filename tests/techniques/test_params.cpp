// Parameter declarations: the one source for method files, --set, the viewer and snapshots.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "renderer/error.h"
#include "renderer/techniques/core/params.h"
#include "tests/test_support/text_files.h"

using namespace nerds;
namespace fs = std::filesystem;

namespace {

using nerds_test::contains;

constexpr double kInf = std::numeric_limits<double>::infinity();

ParamSet example_params() {
  ParamSet p;
  p.declare("encoding", {"levels", ParamType::Int, "number of grid levels", 1, 32}, int64_t{16});
  p.declare("encoding", {"per_level_scale", ParamType::Float, "growth factor between levels", 1.0, 4.0}, 1.5);
  p.declare("encoding", {"kind", ParamType::Choice, "grid layout", -kInf, kInf, {"hash", "dense", "tensor"}},
            std::string("hash"));
  p.declare("trainer", {"lr", ParamType::Float, "Adam learning rate", 0.0, 1.0, {}, false}, 0.01);
  p.declare("trainer", {"random_bg", ParamType::Bool, "random background color"}, true);
  p.declare("trainer", {"steps", ParamType::Int, "training steps", 1, kInf}, int64_t{30000});
  p.declare("render", {"tag", ParamType::String, "free text label"}, std::string(""));
  return p;
}

// Runs `f`, requires an InputError, returns its message.
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("expected an InputError");
  return "";
}


struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("nerds_test_params_" + std::to_string(::getpid()));
  TempFolder() { fs::create_directories(path); }
  ~TempFolder() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path / name;
    std::ofstream(file) << text;
    return file.string();
  }
};

}  // namespace

TEST_CASE("params: declaration order, defaults and typed reads") {
  const ParamSet p = example_params();
  CHECK(p.modules() == std::vector<std::string>{"encoding", "trainer", "render"});
  const auto& enc = p.entries_of("encoding");
  REQUIRE(enc.size() == 3);
  CHECK(enc[0].spec.key == "levels");
  CHECK(enc[1].spec.key == "per_level_scale");
  CHECK(enc[2].path() == "encoding.kind");
  CHECK(p.has("encoding.levels"));
  CHECK_FALSE(p.has("encoding.level"));
  CHECK_FALSE(p.has("levels"));
  CHECK(p.get_int("encoding.levels") == 16);
  CHECK(p.get_float("encoding.per_level_scale") == 1.5);
  CHECK(p.get_string("encoding.kind") == "hash");
  CHECK(p.get_bool("trainer.random_bg"));
  CHECK(p.get_string("render.tag").empty());
  CHECK_FALSE(p.entry("trainer.lr").spec.needs_reset);
  CHECK(p.entry("trainer.steps").spec.needs_reset);
}

TEST_CASE("params: declaration mistakes and misspelled getters are programming errors") {
  ParamSet p = example_params();
  CHECK_THROWS_AS(p.declare("encoding", {"levels", ParamType::Int, "again"}, int64_t{1}), std::logic_error);
  CHECK_THROWS_AS(p.declare("mlp", {"width", ParamType::Int, "bad default type"}, 64.0), std::logic_error);
  CHECK_THROWS_AS(p.declare("mlp", {"depth", ParamType::Int, "default out of range", 1, 8}, int64_t{9}),
                  std::logic_error);
  CHECK_THROWS_AS(p.declare("mlp", {"act", ParamType::Choice, "default not a choice", -kInf, kInf, {"relu"}},
                            std::string("gelu")),
                  std::logic_error);
  CHECK_THROWS_AS(p.declare("mlp", {"a.b", ParamType::Bool, "dot in key"}, true), std::logic_error);
  CHECK_THROWS_AS(p.declare("ml p", {"x", ParamType::Bool, "space in module"}, true), std::logic_error);
  CHECK_FALSE(p.has("mlp.width"));  // a rejected declaration adds nothing
  // An int default is accepted for a float and stored as a float.
  p.declare("mlp", {"scale", ParamType::Float, "int default"}, int64_t{2});
  CHECK(p.get_float("mlp.scale") == 2.0);

  CHECK_THROWS_AS(p.get_float("encoding.levels"), std::logic_error);
  CHECK_THROWS_AS(p.get_int("encoding.per_level_scale"), std::logic_error);
  CHECK_THROWS_AS(p.get_string("trainer.random_bg"), std::logic_error);
  CHECK_THROWS_AS(p.get_bool("encoding.kind"), std::logic_error);
  CHECK_THROWS_AS(p.get_int("encoding.nope"), std::logic_error);
  CHECK_THROWS_AS(p.entries_of("nope"), std::logic_error);
}

TEST_CASE("params: set checks type, range and choices, and leaves the value on error") {
  ParamSet p = example_params();
  p.set("encoding.per_level_scale", int64_t{2}, "viewer");  // an int is fine for a float
  CHECK(p.get_float("encoding.per_level_scale") == 2.0);
  p.set("encoding.kind", std::string("dense"));
  CHECK(p.get_string("encoding.kind") == "dense");

  std::string msg = input_error_of([&] { p.set("encoding.levels", int64_t{33}, "viewer"); });
  CHECK(contains(msg, "viewer"));
  CHECK(contains(msg, "encoding.levels"));
  CHECK(contains(msg, "[1, 32]"));
  msg = input_error_of([&] { p.set("encoding.levels", 8.0, "viewer"); });
  CHECK(contains(msg, "expected an integer"));
  msg = input_error_of([&] { p.set("encoding.kind", std::string("octree"), "viewer"); });
  CHECK(contains(msg, "hash, dense, tensor"));
  msg = input_error_of([&] { p.set("trainer.random_bg", int64_t{1}); });
  CHECK(contains(msg, "trainer.random_bg"));
  msg = input_error_of([&] { p.set("trainer.lr", std::nan(""), "viewer"); });
  CHECK(contains(msg, "finite"));
  msg = input_error_of([&] { p.set("trainer.lr", -0.5, "viewer"); });
  CHECK(contains(msg, "out of range"));
  msg = input_error_of([&] { p.set("trainer.rl", 0.5, "viewer"); });
  CHECK(contains(msg, "unknown parameter"));
  CHECK(contains(msg, "trainer.lr"));  // suggested

  CHECK(p.get_int("encoding.levels") == 16);
  CHECK(p.get_string("encoding.kind") == "dense");
  CHECK(p.get_float("trainer.lr") == 0.01);
}

TEST_CASE("params: set_from_string parses every type") {
  ParamSet p = example_params();
  p.set_from_string("encoding.levels=8");
  CHECK(p.get_int("encoding.levels") == 8);
  p.set_from_string(" encoding.levels = +12 ");
  CHECK(p.get_int("encoding.levels") == 12);
  p.set_from_string("encoding.per_level_scale=2");
  CHECK(p.get_float("encoding.per_level_scale") == 2.0);
  p.set_from_string("trainer.lr=1e-3");
  CHECK(p.get_float("trainer.lr") == 1e-3);
  p.set_from_string("encoding.kind=tensor");
  CHECK(p.get_string("encoding.kind") == "tensor");
  p.set_from_string("render.tag=a=b c");  // only the first '=' separates
  CHECK(p.get_string("render.tag") == "a=b c");
  const std::pair<const char*, bool> bools[] = {{"false", false}, {"true", true}, {"0", false}, {"1", true},
                                                {"off", false},   {"on", true},   {"OFF", false}, {"True", true}};
  for (const auto& [text, value] : bools) {
    p.set_from_string(std::string("trainer.random_bg=") + text);
    CHECK_MESSAGE(p.get_bool("trainer.random_bg") == value, text);
  }
}

TEST_CASE("params: set_from_string errors name the source and the key") {
  ParamSet p = example_params();
  const char* bad[] = {"encoding.levels=8.5", "encoding.levels=abc", "encoding.levels=", "encoding.levels=99",
                       "trainer.random_bg=maybe", "trainer.lr=0.1x", "encoding.kind=octree"};
  for (const char* assignment : bad) {
    const std::string msg = input_error_of([&] { p.set_from_string(assignment); });
    CHECK_MESSAGE(contains(msg, "--set"), msg);
    const std::string path = std::string(assignment).substr(0, std::string(assignment).find('='));
    CHECK_MESSAGE(contains(msg, path), msg);
  }
  std::string msg = input_error_of([&] { p.set_from_string("encoding.levels"); });
  CHECK(contains(msg, "module.key=value"));
  msg = input_error_of([&] { p.set_from_string("encoding.levlz=8", "cli"); });
  CHECK(contains(msg, "cli"));
  CHECK(contains(msg, "encoding.levlz"));
  CHECK(contains(msg, "did you mean encoding.levels"));
  CHECK(contains(msg, "per_level_scale"));  // the module's valid keys are listed
  msg = input_error_of([&] { p.set_from_string("encodng.levels=8"); });
  CHECK(contains(msg, "encoding.levels"));
  msg = input_error_of([&] { p.set_from_string("encoding.lr=0.1"); });
  CHECK(contains(msg, "trainer.lr"));  // the same key in another module
  CHECK(p.get_int("encoding.levels") == 16);
}

TEST_CASE("params: to_json and apply_json round trip exactly") {
  ParamSet a = example_params();
  a.set("encoding.per_level_scale", 1.3819128799677234);
  a.set("trainer.lr", 1.0 / 3.0);
  a.set("trainer.steps", int64_t{9007199254740993});  // 2^53 + 1: not representable as a double
  a.set("trainer.random_bg", false);
  a.set("render.tag", std::string("quote \" backslash \\ unicode \xc3\xa9"));
  a.set("encoding.kind", std::string("dense"));

  const nlohmann::json j = a.to_json();
  CHECK(j.size() == 3);
  CHECK(j["encoding"].size() == 3);
  CHECK(j["trainer"]["steps"].get<int64_t>() == 9007199254740993);

  ParamSet b = example_params();
  b.apply_json(nlohmann::json::parse(j.dump()), "snapshot.json");
  CHECK(b.changed_since(a).empty());
  CHECK(b.to_json() == j);
  const double lr = b.get_float("trainer.lr"), third = 1.0 / 3.0;
  CHECK(std::memcmp(&lr, &third, sizeof lr) == 0);
  CHECK(b.get_int("trainer.steps") == 9007199254740993);
  CHECK(b.get_string("render.tag") == a.get_string("render.tag"));
}

TEST_CASE("params: apply_json errors name the file and the key, and change nothing") {
  ParamSet p = example_params();
  const auto apply = [&](const char* text) {
    return input_error_of([&] { p.apply_json(nlohmann::json::parse(text), "methods/x.json"); });
  };
  std::string msg = apply(R"({"encoding": {"levels": 8, "levlz": 4}})");
  CHECK(contains(msg, "methods/x.json"));
  CHECK(contains(msg, "encoding.levlz"));
  CHECK(contains(msg, "unknown parameter"));
  CHECK(contains(msg, "known"));
  CHECK(p.get_int("encoding.levels") == 16);  // the valid "levels": 8 was not applied

  msg = apply(R"({"encodng": {"levels": 8}})");
  CHECK(contains(msg, "methods/x.json"));
  CHECK(contains(msg, "encodng"));
  CHECK(contains(msg, "did you mean encoding.levels"));

  const std::pair<const char*, const char*> wrong[] = {
      {R"({"encoding": {"levels": "8"}})", "encoding.levels"},
      {R"({"encoding": {"levels": 8.0}})", "encoding.levels"},
      {R"({"encoding": {"levels": 0}})", "encoding.levels"},
      {R"({"encoding": {"kind": 3}})", "encoding.kind"},
      {R"({"trainer": {"random_bg": 1}})", "trainer.random_bg"},
      {R"({"trainer": {"lr": null}})", "trainer.lr"},
      {R"({"trainer": {"steps": 18446744073709551615}})", "trainer.steps"},
      {R"({"trainer": 5})", "trainer"},
  };
  for (const auto& [text, key] : wrong) {
    msg = apply(text);
    CHECK_MESSAGE(contains(msg, "methods/x.json"), msg);
    CHECK_MESSAGE(contains(msg, key), msg);
  }
  CHECK(apply("[1, 2]").find("methods/x.json") == 0);
  CHECK(p.changed_since(example_params()).empty());
}

TEST_CASE("params: changed_since and describe") {
  ParamSet a = example_params();
  ParamSet b = example_params();
  CHECK(a.changed_since(b).empty());
  b.set("trainer.lr", 0.02);
  b.set("encoding.levels", int64_t{8});
  CHECK(b.changed_since(a) == std::vector<std::string>{"encoding.levels", "trainer.lr"});
  b.declare("mlp", {"width", ParamType::Int, "hidden width"}, int64_t{64});
  CHECK(a.changed_since(b) == std::vector<std::string>{"encoding.levels", "trainer.lr", "mlp.width"});

  const std::string table = b.describe();
  CHECK(contains(table, "parameter"));
  CHECK(contains(table, "encoding.levels"));
  CHECK(contains(table, "[1, 32]"));
  CHECK(contains(table, "hash|dense|tensor"));
  CHECK(contains(table, "Adam learning rate"));
  CHECK(contains(table, "live"));
  CHECK(contains(table, "1.5"));
  // One header line plus one line per parameter.
  CHECK(std::count(table.begin(), table.end(), '\n') == 9);
}

TEST_CASE("params: format_param_value") {
  CHECK(format_param_value(ParamValue(true)) == "true");
  CHECK(format_param_value(ParamValue(int64_t{-3})) == "-3");
  CHECK(format_param_value(ParamValue(0.1)) == "0.1");
  CHECK(format_param_value(ParamValue(8.0)) == "8.0");
  CHECK(format_param_value(ParamValue(std::string("hash"))) == "hash");
}

TEST_CASE("params: method files") {
  TempFolder tmp;
  ParamSet p = example_params();
  const std::string good = tmp.write("ngp.json", R"({
    "name": "instant_ngp",
    "description": "multiresolution hash encoding",
    "params": {"encoding": {"levels": 12, "kind": "hash"}, "trainer": {"lr": 0.005}}
  })");
  CHECK(load_method_file(good, p) == "instant_ngp");
  CHECK(p.get_int("encoding.levels") == 12);
  CHECK(p.get_float("trainer.lr") == 0.005);

  // "params" is optional: a method of all defaults.
  ParamSet q = example_params();
  CHECK(load_method_file(tmp.write("plain.json", R"({"name": "plain"})"), q) == "plain");
  CHECK(q.changed_since(example_params()).empty());

  const std::string missing = (tmp.path / "missing.json").string();
  std::string msg = input_error_of([&] { load_method_file(missing, p); });
  CHECK(contains(msg, missing));

  const std::string malformed = tmp.write("bad.json", "{\n  \"name\": \"x\",\n  \"params\": {\"encoding\": {\"levels\": 8,}}\n}");
  msg = input_error_of([&] { load_method_file(malformed, p); });
  CHECK(contains(msg, malformed));
  CHECK(contains(msg, "malformed JSON"));
  CHECK(contains(msg, "line 3"));

  const std::string extra = tmp.write("extra.json", R"({"name": "x", "parms": {}})");
  msg = input_error_of([&] { load_method_file(extra, p); });
  CHECK(contains(msg, extra));
  CHECK(contains(msg, "parms"));

  const std::string nameless = tmp.write("nameless.json", R"({"params": {}})");
  msg = input_error_of([&] { load_method_file(nameless, p); });
  CHECK(contains(msg, "name"));

  const std::string bad_param = tmp.write("badparam.json", R"({"name": "x", "params": {"encoding": {"levels": 64}}})");
  msg = input_error_of([&] { load_method_file(bad_param, p); });
  CHECK(contains(msg, bad_param));
  CHECK(contains(msg, "encoding.levels"));
  CHECK(p.get_int("encoding.levels") == 12);  // unchanged by the failed loads
}
