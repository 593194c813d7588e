// A key repeated in one JSON object: a JSON reader keeps only the last value, so in a file the
// project defines (method files, paper cards, scene files, sessions, camera paths) the first
// value would be silently lost. json_fields refuses it there and names the key's whole path;
// datasets (other tools' files) keep the reader's behaviour.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"
#include "renderer/techniques/core/params.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/input_errors.h"

namespace jf = nerds::json_fields;

using nerds_test::check_mentions;
using nerds_test::input_error_message;

TEST_CASE("json_fields: a key repeated in one object is refused by its path, other tools' files keep the last") {
  const std::string nested = R"({"params": {"field": {"color": "standard", "sh_degree": 4, "color": "ref_nerf"}}})";
  const std::string message = input_error_message([&] { jf::parse_json(nested, "m.json", jf::RepeatedKeys::refuse); });
  check_mentions(message, {"m.json", "params.field.color", "twice"});
  // The reader's own behaviour where asked for: the last value wins.
  CHECK(jf::parse_json(nested, "m.json")["params"]["field"]["color"] == "ref_nerf");

  // Inside arrays the path names the element; the same key in sibling objects is no repeat.
  const std::string in_array = R"({"toggles": [{"param": "a", "off": "1"}, {"param": "b", "x": [1, 2], "param": "c"}]})";
  const std::string array_message = input_error_message([&] { jf::parse_json(in_array, "card.json", jf::RepeatedKeys::refuse); });
  check_mentions(array_message, {"toggles[1].param"});
  const std::string siblings = R"({"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 3}, {"k": 4}], "k": 5})";
  CHECK(jf::parse_json(siblings, "ok.json", jf::RepeatedKeys::refuse)["c"][1]["k"] == 4);

  // Malformed JSON is still reported with the parser's position, without nlohmann's prefix.
  const std::string malformed = input_error_message([&] { jf::parse_json("{\n  \"a\": 1,\n}", "bad.json", jf::RepeatedKeys::refuse); });
  check_mentions(malformed, {"malformed JSON", "line 3"});
  CHECK(malformed.find("json.exception") == std::string::npos);
}

TEST_CASE("method files: a parameter written twice is an error naming the file and the parameter") {
  nerds_test::TempFolder folder("repeated_keys");
  const std::string path = (folder.path() / "twice.json").string();
  std::ofstream(path) << R"({"name": "twice", "params": {"trainer": {"lr": 0.01, "lr": 0.02}}})";
  nerds::ParamSet params = nerds::default_method_params();
  const std::string message = input_error_message([&] { nerds::load_method_file(path, params); });
  check_mentions(message, {path, "params.trainer.lr"});
}
