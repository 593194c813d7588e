// Method names to method files, and a method's parameters: one lookup for every client (the
// CLI's --method, the viewer, the Python module). default_method_params is in registry.cpp.
#include "renderer/techniques/core/method_files.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "renderer/techniques/core/find_upwards.h"
#include "renderer/techniques/core/modules.h"

namespace nerds {

namespace fs = std::filesystem;

std::string find_method_file(const std::string& name) {
  return find_upwards("scenes/methods/" + name + ".json", /*directory=*/false);
}

ParamSet method_params(const std::string& method, const std::vector<std::string>& sets, std::string* method_name) {
  ParamSet params = default_method_params();
  std::string name = "instant_ngp";
  if (!method.empty()) {
    std::string file = method;
    std::error_code ec;
    const bool looks_like_name =
        file.find('/') == std::string::npos && (file.size() < 5 || file.compare(file.size() - 5, 5, ".json") != 0);
    if (looks_like_name && !fs::exists(file, ec)) {
      file = find_method_file(method);
      // instant_ngp's parameters are the defaults: its file is a copy of them.
      if (file.empty() && method != "instant_ngp")
        throw InputError(method, "", "no such method file, and no scenes/methods/" + method + ".json was found");
    }
    if (!file.empty()) name = load_method_file(file, params);
  }
  for (const std::string& s : sets) params.set_from_string(s, "--set");
  if (method_name) *method_name = name;
  return params;
}

std::vector<ModuleSummary> module_summaries() {
  std::vector<ModuleSummary> out;
  for (const TechniqueModule& m : technique_modules()) out.push_back({m.name, m.summary, m.paper});
  return out;
}

}  // namespace nerds
