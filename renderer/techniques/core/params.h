// A technique module's parameters, declared once. The same declaration is read by the JSON
// method loader, the CLI (`--set encoding.levels=8`), the viewer's technique panel, the
// snapshots and `nerds params`; so a parameter exists everywhere or nowhere, and a key that
// was never declared is an error wherever it is written (a typo never silently does nothing).
//
// A parameter is addressed by its path "module.key" (e.g. "encoding.levels"). Neither part
// may contain '.', '=' or whitespace.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace nerds {

enum class ParamType { Bool, Int, Float, Choice, String };

struct ParamSpec {
  std::string key;   // "levels" (within its module)
  ParamType type;
  std::string doc;   // one line, shown in --help / the viewer's tooltip
  double min = -std::numeric_limits<double>::infinity();  // Int/Float range (inclusive)
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> choices = {};  // Choice: the allowed values
  bool needs_reset = true;           // changing it requires retraining from scratch
};

// Bool -> bool, Int -> int64_t, Float -> double, Choice and String -> std::string.
using ParamValue = std::variant<bool, int64_t, double, std::string>;

// One declared parameter with its current value.
struct ParamEntry {
  std::string module;
  ParamSpec spec;
  ParamValue value;
  ParamValue default_value;
  std::string path() const { return module + "." + spec.key; }
};

// "bool", "int", "float", "choice", "string".
const char* param_type_name(ParamType type);
// The text a user would type for the value: true, 8, 0.01 (shortest exact form), fast.
std::string format_param_value(const ParamValue& value);

// All parameters of a method, ordered: modules in declaration order, keys in declaration order.
// Declaring wrongly (duplicate, bad default, misspelled getter) is a programming error and
// throws std::logic_error; a bad value from a user (file, CLI, viewer) throws InputError.
class ParamSet {
 public:
  // The default must have the declared type (an int is accepted for a Float), lie in the
  // range and be one of the choices.
  void declare(const std::string& module, const ParamSpec& spec, ParamValue default_value);

  bool has(const std::string& path) const;
  const ParamEntry& entry(const std::string& path) const;  // unknown -> std::logic_error

  // Typed reads; the wrong type or an unknown path throws std::logic_error.
  int64_t get_int(const std::string& path) const;
  double get_float(const std::string& path) const;
  bool get_bool(const std::string& path) const;
  const std::string& get_string(const std::string& path) const;  // Choice and String

  // Checks the type (an int is accepted for a Float), finiteness, range and choices; on a
  // bad value throws InputError(source, path, why) and leaves the set unchanged.
  void set(const std::string& path, const ParamValue& value, const std::string& source = "");
  // "encoding.levels=8", parsed per the declared type (bool: true/false/1/0/on/off).
  void set_from_string(const std::string& assignment, const std::string& source = "--set");
  // {"encoding": {"levels": 8}, ...}. All or nothing: on any error (unknown module or key,
  // wrong type, out of range) throws InputError naming `file` and the path, and no value
  // is changed.
  void apply_json(const nlohmann::json& j, const std::string& file);
  // Every value, in the same nested shape; apply_json(to_json()) restores it exactly.
  nlohmann::json to_json() const;

  std::vector<std::string> modules() const;
  const std::vector<ParamEntry>& entries_of(const std::string& module) const;  // unknown -> logic_error
  // A text table (parameter, type, value, default, range, doc) for `nerds params`.
  std::string describe() const;
  // Paths whose values differ between the two sets (a path present in only one counts),
  // in this set's order, then the other's.
  std::vector<std::string> changed_since(const ParamSet& other) const;

 private:
  struct Module {
    std::string name;
    std::vector<ParamEntry> entries;
  };
  const ParamEntry* find(const std::string& path) const;
  ParamEntry* find(const std::string& path);
  // "unknown parameter (did you mean ...; known: ...)" for the viewer/CLI/loader messages.
  std::string unknown_path_message(const std::string& path) const;

  std::vector<Module> modules_;
  std::map<std::string, std::pair<size_t, size_t>> index_;  // path -> (module, entry)
};

// Reads a method file {"name": "...", "description": "...", "params": {module: {key: value}}}
// into `params` (all or nothing) and returns the method's name. "name" is required,
// "description" and "params" are optional; any other top-level key is an error. A missing
// file, malformed JSON (with line and column) or a bad parameter throws InputError.
std::string load_method_file(const std::string& path, ParamSet& params);

}  // namespace nerds
