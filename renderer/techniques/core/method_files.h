// A method's parameters, for every client (the CLI's --method, the viewer, the Python
// module): the registered modules' defaults, a method file found by name and read over them,
// and one line per module to describe them. Public and plain: no module machinery (that is
// modules.h, for the engine and the registry).
#pragma once

#include <string>
#include <vector>

#include "renderer/techniques/core/params.h"

namespace nerds {

// A parameter set with every module's parameters at their defaults.
ParamSet default_method_params();
// scenes/methods/<name>.json, searched from the working directory and the executable's folder
// upwards; empty when not found.
std::string find_method_file(const std::string& name);
// A method's parameters: `method` is a method file path, a name in scenes/methods/, or empty
// (the defaults); then each "module.key=value" of `sets`. Throws InputError for a missing
// method or a bad value.
ParamSet method_params(const std::string& method, const std::vector<std::string>& sets, std::string* method_name);

// What a module is, in words, for a client that lists a method's modules (the viewer's
// technique panel).
struct ModuleSummary {
  std::string name;     // the parameter module name ("encoding", "occupancy", ...)
  std::string summary;  // one line: what it is
  std::string paper;    // where the formula comes from
};
// Every registered module, in the order their parameters are listed.
std::vector<ModuleSummary> module_summaries();

}  // namespace nerds
