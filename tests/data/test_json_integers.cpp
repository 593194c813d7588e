// The one integer reader of json_fields: a whole JSON number (800 or 800.0) within int64; a
// fraction, text, a non-finite or out-of-range value is an InputError naming the file and the
// field. JsonObject's required integer, integer-array and boolean forms build on it.
#include <doctest/doctest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "tests/test_support/text_files.h"

using nlohmann::json;
namespace jf = nerds::json_fields;

namespace {

using nerds_test::contains;
// The message of the InputError `read` throws ("" when it throws none).
template <class F>
std::string error_of(F read) {
  try {
    read();
  } catch (const nerds::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("json_fields: an integer is a whole number, a fraction, text or huge value names the field") {
  const json j = json::parse(R"({"a": 800, "b": 800.0, "c": 800.5, "d": "800", "e": 1e20, "f": -3,
                                 "g": 18446744073709551615, "h": true, "n": null})");
  CHECK(jf::require_integer(j, "a", "f.json", "") == 800);
  CHECK(jf::require_integer(j, "b", "f.json", "") == 800);  // Python writes sizes as floats
  CHECK(jf::require_integer(j, "f", "f.json", "") == -3);
  CHECK_FALSE(jf::optional_integer(j, "n", "f.json", "").has_value());  // null reads as absent
  CHECK_FALSE(jf::optional_integer(j, "missing", "f.json", "").has_value());
  for (const char* key : {"c", "d", "e", "g", "h"}) {
    const std::string message = error_of([&] { jf::require_integer(j, key, "f.json", "frames[2]"); });
    INFO(key << ": " << message);
    CHECK(contains(message, std::string("f.json: frames[2].") + key + ": "));
  }
  CHECK(contains(error_of([&] { jf::require_integer(j, "c", "f.json", ""); }), "800.5"));
  CHECK(contains(error_of([&] { jf::require_integer(j, "e", "f.json", ""); }), "out of range"));
  CHECK(contains(error_of([&] { jf::require_integer(j, "missing", "f.json", ""); }), "missing"));
}

TEST_CASE("json_fields: JsonObject's required integer, integer list and boolean") {
  const json j = json::parse(R"({"step": 12, "big": 5000000000, "shape": [4, 2.0], "bad_shape": [4, 2.5],
                                 "negative": [1, -1], "flag": true, "not_flag": 1})");
  jf::JsonObject o(j, "snap", "");
  CHECK(o.integer("step", int64_t{0}, int64_t{100}) == 12);
  CHECK(o.integer("big", int64_t{0}, INT64_MAX) == 5000000000LL);  // beyond int: not truncated
  CHECK(o.integers("shape", 0, 10) == std::vector<int64_t>{4, 2});
  CHECK(o.boolean("flag") == true);
  CHECK(contains(error_of([&] { o.integer("step", int64_t{20}, int64_t{30}); }), "snap: step: must be in [20, 30]"));
  CHECK(contains(error_of([&] { o.integers("bad_shape", 0, 10); }), "snap: bad_shape[1]: "));
  CHECK(contains(error_of([&] { o.integers("negative", 0, 10); }), "snap: negative[1]: must be in [0, 10]"));
  CHECK(contains(error_of([&] { o.integers("step", 0, 10); }), "snap: step: expected an array"));
  CHECK(contains(error_of([&] { o.boolean("not_flag"); }), "snap: not_flag: expected true or false"));
  CHECK(contains(error_of([&] { o.boolean("absent"); }), "snap: absent: missing"));
  CHECK(contains(error_of([&] { o.integer("absent", int64_t{0}, int64_t{1}); }), "snap: absent: missing"));
}
