// The project's one strict JSON reader: reading a JSON file and its fields with errors
// (InputError) that name the file and the field, e.g.
// "scene/transforms.json: frames[12].transform_matrix: ...". The dataset loaders use the free
// functions (datasets carry fields of other tools, which are ignored); a file the project
// defines (scene files, the viewer's sessions) is read through JsonObject, which also rejects
// every field nobody asked for, so a typo is an error and never silently does nothing.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "renderer/math/vec3.h"

namespace nerds::json_fields {

// Whether one object may repeat a key. JSON parsers keep the last value, so in a file the
// project defines (method files, paper cards, scene files, sessions, camera paths) a repeated
// key silently overrides the first one: refused there, naming the key. Files of other tools
// (datasets) keep the parser's behaviour.
enum class RepeatedKeys { keep_last, refuse };

// Parses `path`. Python's json.dump writes NaN / Infinity / -Infinity for non-finite floats,
// which is not JSON; those tokens are read as null so that the field holding them can be
// named in the error (a pose with NaN is then reported by read_pose, not as a parse error).
nlohmann::json read_json_file(const std::string& path, RepeatedKeys repeated = RepeatedKeys::keep_last);
// A float as the shortest decimal that reads back to the same float ("0.3", not
// 0.30000001192092896), for files people read and edit.
nlohmann::json shortest_float(float v);
// Writes `j` pretty-printed to `path` through `path.tmp` and a rename, so a failed write never
// damages the file that was there; InputError naming `path` on failure.
void write_json_file(const std::string& path, const nlohmann::json& j);
// Parses `text` (the contents of `file`) as standard JSON; "malformed JSON" with the parser's
// line and column otherwise; with RepeatedKeys::refuse, a key repeated in one object is an
// error naming it ("params.field.color").
nlohmann::json parse_json(const std::string& text, const std::string& file,
                          RepeatedKeys repeated = RepeatedKeys::keep_last);

// The name of `key` inside the object found at `where` ("" = top level, else "frames[3]").
std::string field_name(const std::string& where, const std::string& key);

// A number as messages print it: "%g" (128, 1e+09, 0.33, inf), NaN as "NaN".
std::string number_text(double value);

// `object[key]`, or nullptr when absent or null. Throws when `object` is not an object.
const nlohmann::json* find(const nlohmann::json& object, const std::string& key, const std::string& file,
                           const std::string& where);

// A number field: required (throws when absent) or optional (nullopt when absent);
// either way a present value must be a finite number.
double require_number(const nlohmann::json& object, const std::string& key, const std::string& file,
                      const std::string& where);
std::optional<double> optional_number(const nlohmann::json& object, const std::string& key,
                                      const std::string& file, const std::string& where);
// A whole number (see read_integer).
std::optional<int64_t> optional_integer(const nlohmann::json& object, const std::string& key,
                                        const std::string& file, const std::string& where);
std::optional<bool> optional_bool(const nlohmann::json& object, const std::string& key, const std::string& file,
                                  const std::string& where);
std::string require_string(const nlohmann::json& object, const std::string& key, const std::string& file,
                           const std::string& where);
std::optional<std::string> optional_string(const nlohmann::json& object, const std::string& key,
                                           const std::string& file, const std::string& where);
// An array of three numbers, e.g. instant-ngp's "offset".
std::optional<Vec3> optional_vec3(const nlohmann::json& object, const std::string& key,
                                  const std::string& file, const std::string& where);
// Any JSON value that must be an array of three finite numbers; `field` names it.
Vec3 read_vec3(const nlohmann::json& value, const std::string& file, const std::string& field);

// Any JSON value that must be a whole number (800 or 800.0, not 800.5) within int64; `field`
// names it. The one integer reader: the integer fields below and JsonObject use it.
int64_t read_integer(const nlohmann::json& value, const std::string& file, const std::string& field);
// An integer field (a whole JSON number, see read_integer).
int64_t require_integer(const nlohmann::json& object, const std::string& key, const std::string& file,
                        const std::string& where);
// An array field (any elements); throws when absent or not an array.
const nlohmann::json& require_array(const nlohmann::json& object, const std::string& key, const std::string& file,
                                    const std::string& where);
// An array of strings: required (throws when absent) or optional (empty when absent).
std::vector<std::string> require_string_array(const nlohmann::json& object, const std::string& key,
                                              const std::string& file, const std::string& where);
std::vector<std::string> optional_string_array(const nlohmann::json& object, const std::string& key,
                                               const std::string& file, const std::string& where);
// Throws when `object` holds a key that is not in `known`: a misspelt field is an error,
// never silently ignored.
void reject_unknown_keys(const nlohmann::json& object, const std::vector<std::string>& known,
                         const std::string& file, const std::string& where);

// The top-level "frames" array; throws when absent, not an array, or empty.
const nlohmann::json& require_frames(const nlohmann::json& root, const std::string& file);

// `frame.transform_matrix`: a 4x4 (or 3x4) camera-to-world matrix that must be finite and
// rigid (rotation orthonormal within 1e-3, det > 0, bottom row 0 0 0 1).
Pose read_pose(const nlohmann::json& frame, const std::string& file, const std::string& where);

// One JSON object of a file the project defines, read strictly: every field read is checked
// (type, range), and finish() rejects any field nobody asked for. A null field reads as absent.
class JsonObject {
 public:
  // `where` is the object's path inside the file ("" at the top, "objects[2]", ...).
  // Throws InputError when `value` is not an object.
  JsonObject(const nlohmann::json& value, std::string file, std::string where);

  const std::string& file() const { return file_; }
  // "objects[2].radius": the name of a field of this object, for error messages.
  std::string field(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

  bool has(const std::string& key);                   // present and not null (also marks the key as known)
  const nlohmann::json& raw(const std::string& key);  // required, any type

  // Numbers lie in [lo, hi]; the forms with a fallback return it when the field is absent.
  double number(const std::string& key, double lo, double hi);
  double number(const std::string& key, double fallback, double lo, double hi);
  int integer(const std::string& key, int fallback, int lo, int hi);
  int64_t integer(const std::string& key, int64_t lo, int64_t hi);  // required
  // An array (any length) of whole numbers, each in [lo, hi].
  std::vector<int64_t> integers(const std::string& key, int64_t lo, int64_t hi);
  bool boolean(const std::string& key);  // required
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key);
  std::string string(const std::string& key, const std::string& fallback);
  Vec3 vec3(const std::string& key);
  Vec3 vec3(const std::string& key, Vec3 fallback);
  // A fixed-length array of numbers (e.g. a range [lo, hi]), each in [lo, hi].
  std::vector<double> numbers(const std::string& key, size_t count, double lo, double hi);
  JsonObject object(const std::string& key);
  // A required non-empty array.
  const nlohmann::json& array(const std::string& key);

  // Throws InputError naming the first field that was never asked for.
  void finish() const;

 private:
  const nlohmann::json* find(const std::string& key);
  // Throws unless value (the field `key`) lies in [lo, hi].
  void check_range(const std::string& key, double value, double lo, double hi) const;
  const nlohmann::json& value_;
  std::string file_, where_;
  std::set<std::string> known_;
};

}  // namespace nerds::json_fields
