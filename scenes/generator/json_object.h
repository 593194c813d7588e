// Strict reading of one JSON object of a scene file: every field read is checked (type,
// range), and finish() rejects any field nobody asked for, so a typo is an error naming the
// file and the field (the project's rule for all input), never silently ignored.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "renderer/math/vec3.h"

namespace nerds::scenes {

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

  double number(const std::string& key, double lo, double hi);                   // required
  double number(const std::string& key, double fallback, double lo, double hi);  // optional
  int integer(const std::string& key, int fallback, int lo, int hi);
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
  const nlohmann::json& value_;
  std::string file_, where_;
  std::set<std::string> known_;
};

// A number, [x, y, z] or [lo, hi] read from an arbitrary JSON value (array elements).
Vec3 json_vec3(const nlohmann::json& value, const std::string& file, const std::string& field);

}  // namespace nerds::scenes
