// Checked access to JSON files: every failure is an InputError naming the file and the field.
#include "renderer/data/json_fields.h"

#include <cctype>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include "renderer/error.h"

namespace nerds::json_fields {
namespace {

using nlohmann::json;

// What a value of the wrong type is, for the message: its type ("string", "array"), or the
// number itself.
std::string what_is(const json& value) { return value.is_number() ? value.dump() : value.type_name(); }

void require_object(const json& value, const std::string& file, const std::string& where) {
  if (!value.is_object())
    throw InputError(file, where.empty() ? "(top level)" : where, "expected a JSON object, got " + what_is(value));
}

std::string range_text(double lo, double hi) { return "[" + number_text(lo) + ", " + number_text(hi) + "]"; }

// Integers print in full (%g would write 2147483647 as 2.14748e+09).
void check_integer_range(const std::string& file, const std::string& field, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi)
    throw InputError(
        file, field,
        "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + std::to_string(value));
}

// Replaces the non-JSON tokens NaN, Infinity and -Infinity (outside strings) by null.
// Parse-error columns after such a token on the same line shift by a few characters.
std::string nonfinite_tokens_to_null(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) out += text[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    const bool at_token_start = i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) ||
                                            text[i - 1] == '_' || text[i - 1] == '.');
    if (at_token_start) {
      bool replaced = false;
      for (const char* token : {"-Infinity", "Infinity", "NaN"}) {
        const size_t n = std::strlen(token);
        const bool token_ends = i + n >= text.size() || !std::isalnum(static_cast<unsigned char>(text[i + n]));
        if (text.compare(i, n, token) == 0 && token_ends) {
          out += "null";
          i += n - 1;
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

json read_json_file(const std::string& path, RepeatedKeys repeated) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "", "file not found");
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw InputError(path, "", "cannot read file");
  return parse_json(nonfinite_tokens_to_null(text.str()), path, repeated);
}

json shortest_float(float v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", v);
  for (int digits = 1; digits <= 9; ++digits) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", digits, v);
    if (std::strtof(shorter, nullptr) == v) return std::strtod(shorter, nullptr);
  }
  return std::strtod(text, nullptr);
}

void write_json_file(const std::string& path, const json& j) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) throw InputError(path, "", "cannot write the file");
    out << j.dump(2) << "\n";
    if (!out.flush()) throw InputError(path, "", "cannot write the file");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(tmp, ec);
    throw InputError(path, "", "cannot write the file: " + why);
  }
}

namespace {
// Follows nlohmann's parse events and refuses the first key that an open object already has.
// Each open object or array is a frame; a frame names the child being read in it (its current
// key, or its element's index), so the error names the repeated key's whole path.
class RepeatedKeyGuard {
 public:
  explicit RepeatedKeyGuard(const std::string& file) : file_(file) {}

  bool operator()(int, json::parse_event_t event, json& parsed) {
    using E = json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        count_element();
        frames_.push_back({event == E::object_start, {}, "", 0});
        break;
      case E::object_end:
      case E::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case E::key: {
        Frame& top = frames_.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second)
          throw InputError(file_, path(), "appears twice in one object (a JSON reader would keep only the last)");
        break;
      }
      case E::value:
        count_element();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;  // an object's key being read
    int elements;     // an array's elements so far
  };

  void count_element() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().elements;
  }

  std::string path() const {
    std::string where;
    for (const Frame& f : frames_)
      where = f.object ? field_name(where, f.key) : where + "[" + std::to_string(f.elements - 1) + "]";
    return where;
  }

  std::string file_;
  std::vector<Frame> frames_;
};
}  // namespace

json parse_json(const std::string& text, const std::string& file, RepeatedKeys repeated) {
  try {
    if (repeated == RepeatedKeys::keep_last) return json::parse(text);
    return json::parse(text, RepeatedKeyGuard(file));
  } catch (const json::exception& e) {
    // what() is "[json.exception.parse_error.101] parse error at line L, column C: ...".
    std::string what = e.what();
    const size_t bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    throw InputError(file, "", "malformed JSON: " + what);
  }
}

std::string number_text(double value) {
  if (std::isnan(value)) return "NaN";  // not %g's "nan" or "-nan", whose sign means nothing
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

std::string field_name(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "." + key;
}

const json* find(const json& object, const std::string& key, const std::string& file, const std::string& where) {
  require_object(object, file, where);
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

namespace {
// object[key] as a T when present: `is_type` says whether the value has the type `expected`
// names ("a number").
template <class T>
std::optional<T> optional_field(const json& object, const std::string& key, const std::string& file,
                                const std::string& where, bool (json::*is_type)() const, const char* expected) {
  const json* value = find(object, key, file, where);
  if (!value) return std::nullopt;
  if (!(value->*is_type)())
    throw InputError(file, field_name(where, key), std::string("expected ") + expected + ", got " + what_is(*value));
  return value->get<T>();
}
}  // namespace

std::optional<double> optional_number(const json& object, const std::string& key, const std::string& file,
                                      const std::string& where) {
  const std::optional<double> number = optional_field<double>(object, key, file, where, &json::is_number, "a number");
  if (number && !std::isfinite(*number)) throw InputError(file, field_name(where, key), "not a finite number");
  return number;
}

double require_number(const json& object, const std::string& key, const std::string& file,
                      const std::string& where) {
  const std::optional<double> number = optional_number(object, key, file, where);
  if (!number) throw InputError(file, field_name(where, key), "missing required number");
  return *number;
}

std::optional<bool> optional_bool(const json& object, const std::string& key, const std::string& file,
                                  const std::string& where) {
  return optional_field<bool>(object, key, file, where, &json::is_boolean, "true or false");
}

std::optional<std::string> optional_string(const json& object, const std::string& key, const std::string& file,
                                           const std::string& where) {
  return optional_field<std::string>(object, key, file, where, &json::is_string, "a string");
}

std::string require_string(const json& object, const std::string& key, const std::string& file,
                           const std::string& where) {
  const std::optional<std::string> text = optional_string(object, key, file, where);
  if (!text) throw InputError(file, field_name(where, key), "missing required string");
  return *text;
}

std::optional<Vec3> optional_vec3(const json& object, const std::string& key, const std::string& file,
                                  const std::string& where) {
  const json* value = find(object, key, file, where);
  if (!value) return std::nullopt;
  return read_vec3(*value, file, field_name(where, key));
}

Vec3 read_vec3(const json& value, const std::string& file, const std::string& field) {
  bool ok = value.is_array() && value.size() == 3;
  for (size_t i = 0; ok && i < 3; ++i) ok = value[i].is_number() && std::isfinite(value[i].get<double>());
  if (!ok) throw InputError(file, field, "expected an array of 3 finite numbers, got " + value.dump());
  return make_vec3(static_cast<float>(value[0].get<double>()), static_cast<float>(value[1].get<double>()),
                   static_cast<float>(value[2].get<double>()));
}

int64_t read_integer(const json& value, const std::string& file, const std::string& field) {
  // JSON has one number type: 800 and 800.0 are the same width (Python writes the latter),
  // 800.5 is not a width, and a double beyond +-2^63 does not fit.
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      throw InputError(file, field, "integer out of range: " + value.dump());
    return value.get<int64_t>();
  }
  if (!value.is_number()) throw InputError(file, field, "expected an integer, got " + what_is(value));
  const double d = value.get<double>();
  if (!std::isfinite(d) || d != std::floor(d))
    throw InputError(file, field, "expected an integer (a whole number), got " + value.dump());
  if (d < -kLimit || d >= kLimit) throw InputError(file, field, "integer out of range: " + value.dump());
  return static_cast<int64_t>(d);
}

std::optional<int64_t> optional_integer(const json& object, const std::string& key, const std::string& file,
                                        const std::string& where) {
  const json* value = find(object, key, file, where);
  if (!value) return std::nullopt;
  return read_integer(*value, file, field_name(where, key));
}

int64_t require_integer(const json& object, const std::string& key, const std::string& file,
                        const std::string& where) {
  const std::optional<int64_t> number = optional_integer(object, key, file, where);
  if (!number) throw InputError(file, field_name(where, key), "missing required integer");
  return *number;
}

const json& require_array(const json& object, const std::string& key, const std::string& file,
                          const std::string& where) {
  const json* value = find(object, key, file, where);
  if (!value) throw InputError(file, field_name(where, key), "missing required array");
  if (!value->is_array()) throw InputError(file, field_name(where, key), "expected an array, got " + what_is(*value));
  return *value;
}

std::vector<std::string> require_string_array(const json& object, const std::string& key, const std::string& file,
                                              const std::string& where) {
  const json& array = require_array(object, key, file, where);
  std::vector<std::string> out;
  for (size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string())
      throw InputError(file, field_name(where, key) + "[" + std::to_string(i) + "]",
                       "expected a string, got " + what_is(array[i]));
    out.push_back(array[i].get<std::string>());
  }
  return out;
}

std::vector<std::string> optional_string_array(const json& object, const std::string& key, const std::string& file,
                                               const std::string& where) {
  if (!find(object, key, file, where)) return {};
  return require_string_array(object, key, file, where);
}

void reject_unknown_keys(const json& object, const std::vector<std::string>& known, const std::string& file,
                         const std::string& where) {
  find(object, "", file, where);  // throws when `object` is not an object
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool is_known = false;
    for (const std::string& k : known) is_known = is_known || k == it.key();
    if (is_known) continue;
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    throw InputError(file, field_name(where, it.key()), "unknown field (the fields are: " + list + ")");
  }
}

const json& require_frames(const json& root, const std::string& file) {
  const json& frames = require_array(root, "frames", file, "");
  if (frames.empty()) throw InputError(file, "", "frames is empty");
  return frames;
}

Pose read_pose(const json& frame, const std::string& file, const std::string& where) {
  const std::string name = field_name(where, "transform_matrix");
  const json* value = find(frame, "transform_matrix", file, where);
  if (!value) throw InputError(file, name, "missing required 4x4 matrix");
  const bool shape_ok = value->is_array() && (value->size() == 4 || value->size() == 3);
  if (!shape_ok) throw InputError(file, name, "expected a 4x4 array of numbers");
  double m[4][4] = {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}};
  bool finite = true;
  for (size_t r = 0; r < value->size(); ++r) {
    const json& row = (*value)[r];
    if (!row.is_array() || row.size() != 4) throw InputError(file, name, "expected a 4x4 array of numbers");
    for (size_t c = 0; c < 4; ++c) {
      const json& e = row[c];
      if (e.is_null()) {  // NaN / Infinity as written by Python (see read_json_file)
        finite = false;
        continue;
      }
      if (!e.is_number()) throw InputError(file, name, "expected a 4x4 array of numbers");
      m[r][c] = e.get<double>();
      finite = finite && std::isfinite(m[r][c]);
    }
  }
  if (!finite) throw InputError(file, name, "not finite (contains NaN or Infinity)");

  // Rigid: R^T R = I, det R > 0, bottom row 0 0 0 1 (tolerance 1e-3; COLMAP-derived poses
  // are orthonormal to ~1e-6, so a larger error means a scaled, sheared or mirrored camera).
  constexpr double kTolerance = 1e-3;
  bool rigid = true;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      const double gram = m[0][i] * m[0][j] + m[1][i] * m[1][j] + m[2][i] * m[2][j];
      rigid = rigid && std::fabs(gram - (i == j ? 1.0 : 0.0)) <= kTolerance;
    }
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  rigid = rigid && det > 0.0;
  for (int c = 0; c < 4; ++c) rigid = rigid && std::fabs(m[3][c] - (c == 3 ? 1.0 : 0.0)) <= kTolerance;
  if (!rigid) throw InputError(file, name, "not a rigid transform");

  Pose pose;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) pose.m[r][c] = static_cast<float>(m[r][c]);
  return pose;
}

JsonObject::JsonObject(const json& value, std::string file, std::string where)
    : value_(value), file_(std::move(file)), where_(std::move(where)) {
  require_object(value_, file_, where_);
}

std::string JsonObject::field(const std::string& key) const { return field_name(where_, key); }

void JsonObject::fail(const std::string& key, const std::string& what) const {
  throw InputError(file_, field(key), what);
}

const json* JsonObject::find(const std::string& key) {
  known_.insert(key);
  return json_fields::find(value_, key, file_, where_);
}

void JsonObject::check_range(const std::string& key, double value, double lo, double hi) const {
  if (value < lo || value > hi) fail(key, "must be in " + range_text(lo, hi) + ", got " + value_.at(key).dump());
}

bool JsonObject::has(const std::string& key) { return find(key) != nullptr; }

const json& JsonObject::raw(const std::string& key) {
  const json* v = find(key);
  if (!v) fail(key, "missing required field");
  return *v;
}

double JsonObject::number(const std::string& key, double lo, double hi) {
  known_.insert(key);
  const double d = require_number(value_, key, file_, where_);
  check_range(key, d, lo, hi);
  return d;
}

double JsonObject::number(const std::string& key, double fallback, double lo, double hi) {
  return has(key) ? number(key, lo, hi) : fallback;
}

int JsonObject::integer(const std::string& key, int fallback, int lo, int hi) {
  return has(key) ? static_cast<int>(integer(key, int64_t{lo}, int64_t{hi})) : fallback;
}

int64_t JsonObject::integer(const std::string& key, int64_t lo, int64_t hi) {
  known_.insert(key);
  const int64_t i = require_integer(value_, key, file_, where_);
  check_integer_range(file_, field(key), i, lo, hi);
  return i;
}

std::vector<int64_t> JsonObject::integers(const std::string& key, int64_t lo, int64_t hi) {
  const json& v = raw(key);
  if (!v.is_array()) fail(key, "expected an array of whole numbers, got " + what_is(v));
  std::vector<int64_t> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string name = field(key) + "[" + std::to_string(i) + "]";
    const int64_t e = read_integer(v[i], file_, name);
    check_integer_range(file_, name, e, lo, hi);
    out.push_back(e);
  }
  return out;
}

bool JsonObject::boolean(const std::string& key) {
  known_.insert(key);
  const std::optional<bool> b = optional_bool(value_, key, file_, where_);
  if (!b) fail(key, "missing required true or false");
  return *b;
}

bool JsonObject::boolean(const std::string& key, bool fallback) {
  known_.insert(key);
  return optional_bool(value_, key, file_, where_).value_or(fallback);
}

std::string JsonObject::string(const std::string& key) {
  known_.insert(key);
  return require_string(value_, key, file_, where_);
}

std::string JsonObject::string(const std::string& key, const std::string& fallback) {
  known_.insert(key);
  return optional_string(value_, key, file_, where_).value_or(fallback);
}

Vec3 JsonObject::vec3(const std::string& key) { return read_vec3(raw(key), file_, field(key)); }

Vec3 JsonObject::vec3(const std::string& key, Vec3 fallback) { return has(key) ? vec3(key) : fallback; }

std::vector<double> JsonObject::numbers(const std::string& key, size_t count, double lo, double hi) {
  const json& v = raw(key);
  if (!v.is_array() || v.size() != count) fail(key, "must be an array of " + std::to_string(count) + " numbers");
  std::vector<double> out;
  for (const json& e : v) {
    if (!e.is_number() || !std::isfinite(e.get<double>()) || e.get<double>() < lo || e.get<double>() > hi)
      fail(key, "every entry must be a number in " + range_text(lo, hi) + ", got " + v.dump());
    out.push_back(e.get<double>());
  }
  return out;
}

JsonObject JsonObject::object(const std::string& key) { return JsonObject(raw(key), file_, field(key)); }

const json& JsonObject::array(const std::string& key) {
  const json& v = raw(key);
  if (!v.is_array() || v.empty()) fail(key, "must be a non-empty array");
  return v;
}

void JsonObject::finish() const {
  for (auto it = value_.begin(); it != value_.end(); ++it) {
    if (known_.count(it.key())) continue;
    std::string known;
    for (const std::string& k : known_) known += (known.empty() ? "" : ", ") + k;
    throw InputError(file_, field(it.key()), "unknown field (known here: " + known + ")");
  }
}

}  // namespace nerds::json_fields
