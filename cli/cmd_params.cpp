// `nerds params`: every parameter of a method (after --method and --set) with its type,
// value, default, range and doc; --json prints it as a method file instead.
#include <cstdio>
#include <memory>

#include "cli/cli_common.h"

namespace nerds::cli {

namespace {

struct ParamsArgs {
  MethodOptions method;
  bool json = false;
};

int run_params(const ParamsArgs& a) {
  std::string name;
  const ParamSet params = build_params(a.method, &name);
  if (a.json) {
    nlohmann::json j;
    j["name"] = name;
    j["description"] = "";
    j["params"] = params.to_json();
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("method: %s\n%s", name.c_str(), params.describe().c_str());
  const std::vector<std::string> changed = params.changed_since(default_params());
  if (!changed.empty()) {
    std::printf("\nchanged from the defaults:");
    for (const std::string& p : changed) std::printf(" %s", p.c_str());
    std::printf("\n");
  }
  return 0;
}

}  // namespace

Command add_params_command(CLI::App& app) {
  auto args = std::make_shared<ParamsArgs>();
  CLI::App* sub = app.add_subcommand("params", "list a method's parameters (after --method and --set)");
  add_method_options(sub, &args->method);
  sub->add_flag("--json", args->json, "print a method file {name, description, params} instead of the table");
  return {sub, [args] { return run_params(*args); }};
}

}  // namespace nerds::cli
