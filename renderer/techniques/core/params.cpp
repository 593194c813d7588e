#include "renderer/techniques/core/params.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds {

namespace {

bool is_valid_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c == '.' || c == '=' || std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string format_bound(double v, ParamType type) {
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  if (type == ParamType::Int) return std::to_string(static_cast<int64_t>(v));
  return format_param_value(ParamValue(v));
}

std::string range_text(const ParamSpec& spec) {
  if (spec.type == ParamType::Choice) return join(spec.choices, "|");
  if (spec.type != ParamType::Int && spec.type != ParamType::Float) return "";
  if (std::isinf(spec.min) && std::isinf(spec.max)) return "";
  return "[" + format_bound(spec.min, spec.type) + ", " + format_bound(spec.max, spec.type) + "]";
}

// "the integer 8", "the string \"fast\"": what the user gave, for error messages.
std::string describe_value(const ParamValue& v) {
  switch (v.index()) {
    case 0: return "the bool " + format_param_value(v);
    case 1: return "the integer " + format_param_value(v);
    case 2: return "the number " + format_param_value(v);
    default: return "the string \"" + std::get<std::string>(v) + "\"";
  }
}

// Returns "" when `value` is acceptable for `spec` (and writes its stored form, e.g. an int
// widened to double for a Float, to `stored`); otherwise the reason it is not.
std::string check_value(const ParamSpec& spec, const ParamValue& value, ParamValue& stored) {
  const std::string got = ", got " + describe_value(value);
  switch (spec.type) {
    case ParamType::Bool:
      if (!std::holds_alternative<bool>(value)) return "expected true or false" + got;
      stored = value;
      return "";
    case ParamType::Int: {
      if (!std::holds_alternative<int64_t>(value)) return "expected an integer" + got;
      const int64_t v = std::get<int64_t>(value);
      if (static_cast<double>(v) < spec.min || static_cast<double>(v) > spec.max)
        return std::to_string(v) + " is out of range " + range_text(spec);
      stored = value;
      return "";
    }
    case ParamType::Float: {
      double v;
      if (std::holds_alternative<double>(value)) v = std::get<double>(value);
      else if (std::holds_alternative<int64_t>(value)) v = static_cast<double>(std::get<int64_t>(value));
      else return "expected a number" + got;
      // JSON cannot hold NaN or infinity, so accepting them would break the snapshot round trip.
      if (!std::isfinite(v)) return "expected a finite number" + got;
      if (v < spec.min || v > spec.max)
        return format_param_value(ParamValue(v)) + " is out of range " + range_text(spec);
      stored = v;
      return "";
    }
    case ParamType::Choice: {
      if (!std::holds_alternative<std::string>(value))
        return "expected one of " + join(spec.choices) + got;
      const std::string& v = std::get<std::string>(value);
      if (std::find(spec.choices.begin(), spec.choices.end(), v) == spec.choices.end())
        return "\"" + v + "\" is not one of " + join(spec.choices);
      stored = value;
      return "";
    }
    case ParamType::String:
      if (!std::holds_alternative<std::string>(value)) return "expected a string" + got;
      stored = value;
      return "";
  }
  return "unhandled parameter type";
}

// Returns "" and sets `out`, or the reason the JSON value cannot be a parameter value.
std::string json_to_value(const nlohmann::json& j, ParamValue& out) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean: out = j.get<bool>(); return "";
    case nlohmann::json::value_t::number_integer: out = j.get<int64_t>(); return "";
    case nlohmann::json::value_t::number_unsigned: {
      const uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return "integer " + std::to_string(u) + " is too large";
      out = static_cast<int64_t>(u);
      return "";
    }
    case nlohmann::json::value_t::number_float: out = j.get<double>(); return "";
    case nlohmann::json::value_t::string: out = j.get<std::string>(); return "";
    default: return std::string("expected a bool, number or string, got ") + j.type_name();
  }
}

nlohmann::json value_to_json(const ParamValue& v) {
  return std::visit([](const auto& x) { return nlohmann::json(x); }, v);
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Parses `text` as the value of a parameter of type `type`; returns "" or the reason.
std::string parse_value(ParamType type, const std::string& text, ParamValue& out) {
  // from_chars accepts no leading '+', a user may well type one.
  const std::string t = !text.empty() && text[0] == '+' ? text.substr(1) : text;
  const char* first = t.data();
  const char* last = t.data() + t.size();
  switch (type) {
    case ParamType::Bool: {
      std::string lower = text;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true" || lower == "1" || lower == "on") { out = true; return ""; }
      if (lower == "false" || lower == "0" || lower == "off") { out = false; return ""; }
      return "cannot parse \"" + text + "\" as a bool (true/false/1/0/on/off)";
    }
    case ParamType::Int: {
      int64_t v = 0;
      const auto r = std::from_chars(first, last, v);
      if (t.empty() || r.ec != std::errc() || r.ptr != last)
        return "cannot parse \"" + text + "\" as an integer";
      out = v;
      return "";
    }
    case ParamType::Float: {
      double v = 0;
      const auto r = std::from_chars(first, last, v);
      if (t.empty() || r.ec != std::errc() || r.ptr != last)
        return "cannot parse \"" + text + "\" as a number";
      out = v;
      return "";
    }
    case ParamType::Choice:
    case ParamType::String: out = text; return "";
  }
  return "unhandled parameter type";
}

}  // namespace

const char* param_type_name(ParamType type) {
  switch (type) {
    case ParamType::Bool: return "bool";
    case ParamType::Int: return "int";
    case ParamType::Float: return "float";
    case ParamType::Choice: return "choice";
    case ParamType::String: return "string";
  }
  return "?";
}

std::string format_param_value(const ParamValue& value) {
  switch (value.index()) {
    case 0: return std::get<bool>(value) ? "true" : "false";
    case 1: return std::to_string(std::get<int64_t>(value));
    case 2: {
      const double v = std::get<double>(value);
      char buf[64];
      const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact form
      std::string s(buf, r.ptr);
      // "8.0", not "8": a float should not read as an integer.
      if (std::isfinite(v) && s.find_first_of(".e") == std::string::npos) s += ".0";
      return s;
    }
    default: return std::get<std::string>(value);
  }
}

void ParamSet::declare(const std::string& module, const ParamSpec& spec, ParamValue default_value) {
  const std::string path = module + "." + spec.key;
  if (!is_valid_name(module) || !is_valid_name(spec.key))
    throw std::logic_error("parameter '" + path + "': module and key must be non-empty, "
                           "without '.', '=' or spaces");
  if (index_.count(path)) throw std::logic_error("parameter '" + path + "' declared twice");
  if (spec.min > spec.max) throw std::logic_error("parameter '" + path + "': min > max");
  if (spec.type == ParamType::Choice && spec.choices.empty())
    throw std::logic_error("parameter '" + path + "': a choice needs choices");
  ParamValue stored;
  const std::string why = check_value(spec, default_value, stored);
  if (!why.empty()) throw std::logic_error("parameter '" + path + "': bad default: " + why);

  auto it = std::find_if(modules_.begin(), modules_.end(),
                         [&](const Module& m) { return m.name == module; });
  if (it == modules_.end()) {
    modules_.push_back(Module{module, {}});
    it = modules_.end() - 1;
  }
  it->entries.push_back(ParamEntry{module, spec, stored, stored});
  index_[path] = {static_cast<size_t>(it - modules_.begin()), it->entries.size() - 1};
}

const ParamEntry* ParamSet::find(const std::string& path) const {
  const auto it = index_.find(path);
  if (it == index_.end()) return nullptr;
  return &modules_[it->second.first].entries[it->second.second];
}

ParamEntry* ParamSet::find(const std::string& path) {
  return const_cast<ParamEntry*>(static_cast<const ParamSet*>(this)->find(path));
}

bool ParamSet::has(const std::string& path) const { return find(path) != nullptr; }

const ParamEntry& ParamSet::entry(const std::string& path) const {
  const ParamEntry* e = find(path);
  if (!e) throw std::logic_error("parameter '" + path + "' was never declared");
  return *e;
}

int64_t ParamSet::get_int(const std::string& path) const {
  const ParamEntry& e = entry(path);
  if (e.spec.type != ParamType::Int) throw std::logic_error("parameter '" + path + "' is not an int");
  return std::get<int64_t>(e.value);
}

double ParamSet::get_float(const std::string& path) const {
  const ParamEntry& e = entry(path);
  if (e.spec.type != ParamType::Float) throw std::logic_error("parameter '" + path + "' is not a float");
  return std::get<double>(e.value);
}

bool ParamSet::get_bool(const std::string& path) const {
  const ParamEntry& e = entry(path);
  if (e.spec.type != ParamType::Bool) throw std::logic_error("parameter '" + path + "' is not a bool");
  return std::get<bool>(e.value);
}

const std::string& ParamSet::get_string(const std::string& path) const {
  const ParamEntry& e = entry(path);
  if (e.spec.type != ParamType::Choice && e.spec.type != ParamType::String)
    throw std::logic_error("parameter '" + path + "' is not a choice or string");
  return std::get<std::string>(e.value);
}

std::string ParamSet::unknown_path_message(const std::string& path) const {
  if (modules_.empty()) return "unknown parameter (no parameters are declared)";
  const size_t dot = path.find('.');
  const std::string module = path.substr(0, dot);
  const std::string key = dot == std::string::npos ? "" : path.substr(dot + 1);

  // Close spellings of the whole path, and the same key in another module.
  std::vector<std::pair<size_t, std::string>> close;
  const size_t tolerance = std::max<size_t>(2, path.size() / 4);
  for (const Module& m : modules_)
    for (const ParamEntry& e : m.entries) {
      const size_t d = e.spec.key == key ? 0 : edit_distance(path, e.path());
      if (d <= tolerance) close.push_back({d, e.path()});
    }
  std::stable_sort(close.begin(), close.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> suggestions;
  for (size_t i = 0; i < close.size() && i < 3; ++i) suggestions.push_back(close[i].second);
  const std::string did_you_mean =
      suggestions.empty() ? "" : "did you mean " + join(suggestions, " or ") + "? ";

  const auto m = std::find_if(modules_.begin(), modules_.end(),
                              [&](const Module& x) { return x.name == module; });
  if (m == modules_.end())
    return "unknown parameter: no module \"" + module + "\" (" + did_you_mean +
           "known modules: " + join(modules()) + ")";
  std::vector<std::string> keys;
  for (const ParamEntry& e : m->entries) keys.push_back(e.spec.key);
  return "unknown parameter (" + did_you_mean + "known in " + module + ": " + join(keys) + ")";
}

void ParamSet::set(const std::string& path, const ParamValue& value, const std::string& source) {
  ParamEntry* e = find(path);
  ParamValue stored;
  const std::string why = e ? check_value(e->spec, value, stored) : unknown_path_message(path);
  if (why.empty()) {
    e->value = std::move(stored);
    return;
  }
  if (source.empty()) throw InputError(path + ": " + why);
  throw InputError(source, path, why);
}

void ParamSet::set_from_string(const std::string& assignment, const std::string& source) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos)
    throw InputError(source, trim(assignment), "expected module.key=value");
  const std::string path = trim(assignment.substr(0, eq));
  const std::string text = trim(assignment.substr(eq + 1));
  const ParamEntry* e = find(path);
  if (!e) throw InputError(source, path, unknown_path_message(path));
  ParamValue value;
  const std::string why = parse_value(e->spec.type, text, value);
  if (!why.empty()) throw InputError(source, path, why);
  set(path, value, source);
}

void ParamSet::apply_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object())
    throw InputError(file, "", std::string("expected an object {module: {key: value}}, got ") + j.type_name());
  // Check everything first, then assign: a bad file leaves the set as it was.
  std::vector<std::pair<ParamEntry*, ParamValue>> staged;
  for (const auto& [module, keys] : j.items()) {
    // By name, not by the binding: C++17 lambdas cannot capture a structured binding (clang refuses).
    const std::string& name = module;
    const bool known_module = std::any_of(modules_.begin(), modules_.end(),
                                          [&](const Module& m) { return m.name == name; });
    if (!known_module) {
      // Name the first key too, so the suggestion can find "encodng.levels" -> "encoding.levels".
      const std::string path =
          keys.is_object() && !keys.empty() ? module + "." + keys.begin().key() : module;
      throw InputError(file, path, unknown_path_message(path));
    }
    if (!keys.is_object())
      throw InputError(file, module, std::string("expected an object {key: value}, got ") + keys.type_name());
    for (const auto& [key, json_value] : keys.items()) {
      const std::string path = module + "." + key;
      ParamEntry* e = find(path);
      if (!e) throw InputError(file, path, unknown_path_message(path));
      ParamValue value, stored;
      std::string why = json_to_value(json_value, value);
      if (why.empty()) why = check_value(e->spec, value, stored);
      if (!why.empty()) throw InputError(file, path, why);
      staged.emplace_back(e, std::move(stored));
    }
  }
  for (auto& [e, value] : staged) e->value = std::move(value);
}

nlohmann::json ParamSet::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const Module& m : modules_) {
    nlohmann::json keys = nlohmann::json::object();
    for (const ParamEntry& e : m.entries) keys[e.spec.key] = value_to_json(e.value);
    j[m.name] = std::move(keys);
  }
  return j;
}

std::vector<std::string> ParamSet::modules() const {
  std::vector<std::string> names;
  for (const Module& m : modules_) names.push_back(m.name);
  return names;
}

const std::vector<ParamEntry>& ParamSet::entries_of(const std::string& module) const {
  for (const Module& m : modules_)
    if (m.name == module) return m.entries;
  throw std::logic_error("no parameter module '" + module + "'");
}

std::string ParamSet::describe() const {
  std::vector<std::vector<std::string>> rows = {
      {"parameter", "type", "value", "default", "range", "on change", "doc"}};
  for (const Module& m : modules_)
    for (const ParamEntry& e : m.entries)
      rows.push_back({e.path(), param_type_name(e.spec.type), format_param_value(e.value),
                      format_param_value(e.default_value), range_text(e.spec),
                      e.spec.needs_reset ? "retrain" : "live", e.spec.doc});
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    out += trim(line) + "\n";
  }
  return out;
}

std::vector<std::string> ParamSet::changed_since(const ParamSet& other) const {
  std::vector<std::string> changed;
  for (const Module& m : modules_)
    for (const ParamEntry& e : m.entries) {
      const ParamEntry* o = other.find(e.path());
      if (!o || o->value != e.value) changed.push_back(e.path());
    }
  for (const Module& m : other.modules_)
    for (const ParamEntry& e : m.entries)
      if (!find(e.path())) changed.push_back(e.path());
  return changed;
}

std::string load_method_file(const std::string& path, ParamSet& params) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw InputError(path, "", std::string("cannot open method file: ") + std::strerror(errno));
  std::string text;
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) text.append(buf, got);
  if (std::ferror(f.get())) throw InputError(path, "", "cannot read method file");

  nlohmann::json j = json_fields::parse_json(text, path, json_fields::RepeatedKeys::refuse);
  if (!j.is_object()) throw InputError(path, "", "expected a JSON object with \"name\" and \"params\"");
  for (const auto& [key, value] : j.items())
    if (key != "name" && key != "description" && key != "params")
      throw InputError(path, key, "unknown key (known: name, description, params)");
  if (!j.contains("name")) throw InputError(path, "name", "missing");
  if (!j["name"].is_string() || j["name"].get<std::string>().empty())
    throw InputError(path, "name", "expected a non-empty string");
  if (j.contains("description") && !j["description"].is_string())
    throw InputError(path, "description", "expected a string");
  if (j.contains("params")) params.apply_json(j["params"], path);
  return j["name"].get<std::string>();
}

}  // namespace nerds
