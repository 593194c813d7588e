#include "viewer/core/engine_setup.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "renderer/error.h"
#include "renderer/techniques/modules.h"

namespace nerds::viewer {

namespace fs = std::filesystem;

namespace {

// scenes/methods/<name>.json from the working directory and the executable's folder upwards
// (as the CLI looks it up); empty when not found.
std::string find_named_method(const std::string& name) {
  std::vector<fs::path> starts;
  std::error_code ec;
  starts.push_back(fs::current_path(ec));
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) starts.push_back(exe.parent_path());
  for (fs::path dir : starts) {
    for (int up = 0; up < 6 && !dir.empty(); ++up) {
      const fs::path candidate = dir / "scenes" / "methods" / (name + ".json");
      if (fs::is_regular_file(candidate, ec)) return candidate.string();
      if (dir == dir.parent_path()) break;
      dir = dir.parent_path();
    }
  }
  return "";
}

nlohmann::json scene_marker(const std::string& name, const scenes::SceneOptions& o) {
  // The same fields, in the same shape, as `nerds demo` writes (renderer/cli/cmd_demo.cpp).
  return {{"scene", name},
          {"resolution", o.resolution},
          {"train_views", o.train_views},
          {"val_views", o.val_views},
          {"test_views", o.test_views},
          {"samples_per_pixel", o.samples_per_pixel},
          {"seed", static_cast<int64_t>(o.seed)}};
}

}  // namespace

ParamSet method_params(const std::string& method, const std::vector<std::string>& sets, std::string* method_name) {
  ParamSet params = default_method_params();
  std::string name = "instant_ngp";
  if (!method.empty()) {
    std::string file = method;
    std::error_code ec;
    const bool looks_like_name =
        file.find('/') == std::string::npos && (file.size() < 5 || file.compare(file.size() - 5, 5, ".json") != 0);
    if (looks_like_name && !fs::exists(file, ec)) {
      const std::string found = find_named_method(file);
      if (found.empty() && file != "instant_ngp")
        throw InputError(file, "", "no such method file, and no scenes/methods/" + file + ".json was found");
      file = found;
    }
    if (!file.empty()) name = load_method_file(file, params);
  }
  for (const std::string& s : sets) params.set_from_string(s, "--set");
  if (method_name) *method_name = name;
  return params;
}

bool ensure_scene(const std::string& name, const std::string& dir, const scenes::SceneOptions& options) {
  const nlohmann::json want = scene_marker(name, options);
  const fs::path marker = fs::path(dir) / "nerds_scene.json";
  std::error_code ec;
  if (fs::exists(marker, ec) && fs::exists(fs::path(dir) / "transforms_train.json", ec)) {
    std::ifstream in(marker);
    const nlohmann::json have = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (have == want) return false;
  }
  fs::remove(marker, ec);
  scenes::make_scene(name, dir, options);
  // Written last (temporary + rename), so an interrupted make is redone next time.
  const fs::path tmp = marker.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << want.dump(2) << "\n";
    if (!out) throw InputError(tmp.string(), "", "cannot write the scene marker");
  }
  fs::rename(tmp, marker, ec);
  if (ec) throw InputError(marker.string(), "", "cannot write the scene marker: " + ec.message());
  return true;
}

std::unique_ptr<Engine> open_engine(const EngineSetup& setup, const std::function<void(const std::string&)>& status) {
  if (!setup.make_scene.empty()) {
    if (setup.data_dir.empty()) throw InputError("scene", "data", "a built-in scene needs a folder to be made in");
    status("making the '" + setup.make_scene + "' scene in " + setup.data_dir + " (once)");
    ensure_scene(setup.make_scene, setup.data_dir, setup.scene_options);
  }
  if (!setup.snapshot.empty()) {
    status("loading " + setup.snapshot);
    return Engine::load(setup.snapshot, setup.data_dir);
  }
  if (setup.data_dir.empty()) throw InputError("scene", "data", "no dataset folder given");
  status("loading " + setup.data_dir);
  EngineOptions options;
  std::error_code ec;
  const fs::path absolute = fs::absolute(setup.data_dir, ec);
  options.data_dir = ec ? setup.data_dir : absolute.lexically_normal().string();
  options.downscale = setup.downscale;
  options.method_name = setup.method_name;
  return std::make_unique<Engine>(options, setup.params);
}

}  // namespace nerds::viewer
