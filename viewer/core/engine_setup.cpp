#include "viewer/core/engine_setup.h"

#include <filesystem>

#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"

namespace nerds::viewer {

namespace fs = std::filesystem;

std::unique_ptr<Engine> open_engine(const EngineSetup& setup, const std::function<void(const std::string&)>& status) {
  if (!setup.make_scene.empty()) {
    if (setup.data_dir.empty()) throw InputError("scene", "data", "a built-in scene needs a folder to be made in");
    status("making the '" + setup.make_scene + "' scene in " + setup.data_dir + " (once)");
    // Made once; an existing folder is used only when its marker names this scene and these
    // options, anything else there is refused, never made over (scenes::ensure_scene).
    scenes::ensure_scene(setup.make_scene, setup.data_dir, setup.scene_options);
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
