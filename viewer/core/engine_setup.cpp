#include "viewer/core/engine_setup.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"

namespace nerds::viewer {

namespace fs = std::filesystem;

namespace {

nlohmann::json scene_marker(const std::string& name, const scenes::SceneOptions& o) {
  // The same fields, in the same shape, as `nerds demo` writes (cli/cmd_demo.cpp).
  return {{"scene", name},
          {"resolution", o.resolution},
          {"train_views", o.train_views},
          {"val_views", o.val_views},
          {"test_views", o.test_views},
          {"samples_per_pixel", o.samples_per_pixel},
          {"seed", static_cast<int64_t>(o.seed)}};
}

}  // namespace

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
