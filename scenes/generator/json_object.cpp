#include "scenes/generator/json_object.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "renderer/error.h"

namespace nerds::scenes {

namespace {
std::string range_text(double lo, double hi) {
  auto text = [](double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%g", v);
    return std::string(buffer);
  };
  return "[" + text(lo) + ", " + text(hi) + "]";
}
}  // namespace

JsonObject::JsonObject(const nlohmann::json& value, std::string file, std::string where)
    : value_(value), file_(std::move(file)), where_(std::move(where)) {
  if (!value_.is_object()) throw InputError(file_, where_.empty() ? "(top level)" : where_, "must be a JSON object");
}

std::string JsonObject::field(const std::string& key) const { return where_.empty() ? key : where_ + "." + key; }

void JsonObject::fail(const std::string& key, const std::string& what) const {
  throw InputError(file_, field(key), what);
}

const nlohmann::json* JsonObject::find(const std::string& key) {
  known_.insert(key);
  auto it = value_.find(key);
  if (it == value_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonObject::has(const std::string& key) { return find(key) != nullptr; }

const nlohmann::json& JsonObject::raw(const std::string& key) {
  const nlohmann::json* v = find(key);
  if (!v) fail(key, "is required");
  return *v;
}

double JsonObject::number(const std::string& key, double lo, double hi) {
  const nlohmann::json& v = raw(key);
  if (!v.is_number()) fail(key, "must be a number");
  double d = v.get<double>();
  if (!std::isfinite(d) || d < lo || d > hi) fail(key, "must be in " + range_text(lo, hi) + ", got " + v.dump());
  return d;
}

double JsonObject::number(const std::string& key, double fallback, double lo, double hi) {
  return has(key) ? number(key, lo, hi) : fallback;
}

int JsonObject::integer(const std::string& key, int fallback, int lo, int hi) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_number_integer()) fail(key, "must be an integer");
  const int64_t i = v->get<int64_t>();
  if (i < lo || i > hi) fail(key, "must be in " + range_text(lo, hi) + ", got " + v->dump());
  return static_cast<int>(i);
}

bool JsonObject::boolean(const std::string& key, bool fallback) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) fail(key, "must be true or false");
  return v->get<bool>();
}

std::string JsonObject::string(const std::string& key) {
  const nlohmann::json& v = raw(key);
  if (!v.is_string()) fail(key, "must be a string");
  return v.get<std::string>();
}

std::string JsonObject::string(const std::string& key, const std::string& fallback) {
  return has(key) ? string(key) : fallback;
}

Vec3 JsonObject::vec3(const std::string& key) { return json_vec3(raw(key), file_, field(key)); }

Vec3 JsonObject::vec3(const std::string& key, Vec3 fallback) { return has(key) ? vec3(key) : fallback; }

std::vector<double> JsonObject::numbers(const std::string& key, size_t count, double lo, double hi) {
  const nlohmann::json& v = raw(key);
  if (!v.is_array() || v.size() != count) fail(key, "must be an array of " + std::to_string(count) + " numbers");
  std::vector<double> out;
  for (const nlohmann::json& e : v) {
    if (!e.is_number() || !std::isfinite(e.get<double>()) || e.get<double>() < lo || e.get<double>() > hi)
      fail(key, "every entry must be a number in " + range_text(lo, hi) + ", got " + v.dump());
    out.push_back(e.get<double>());
  }
  return out;
}

JsonObject JsonObject::object(const std::string& key) { return JsonObject(raw(key), file_, field(key)); }

const nlohmann::json& JsonObject::array(const std::string& key) {
  const nlohmann::json& v = raw(key);
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

Vec3 json_vec3(const nlohmann::json& value, const std::string& file, const std::string& field) {
  if (!value.is_array() || value.size() != 3) throw InputError(file, field, "must be an array of 3 numbers");
  Vec3 v;
  for (int i = 0; i < 3; ++i) {
    if (!value[i].is_number() || !std::isfinite(value[i].get<double>()))
      throw InputError(file, field, "must be an array of 3 finite numbers, got " + value.dump());
    v[i] = static_cast<float>(value[i].get<double>());
  }
  return v;
}

}  // namespace nerds::scenes
