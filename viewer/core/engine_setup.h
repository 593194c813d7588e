// What the viewer opens and how: a dataset folder (first made by the scene maker when it names
// a built-in scene that is not there yet; an existing folder must hold that very scene), the method's parameters, and optionally a snapshot
// to start from. open_engine() runs on the engine's worker thread, so the window is up (and
// says what is happening) while a scene is made or a dataset loads.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/techniques/core/method_files.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::viewer {

struct EngineSetup {
  std::string data_dir;  // dataset folder (NeRF-synthetic or transforms.json)
  int downscale = 1;
  std::string method_name = "instant_ngp";
  ParamSet params;         // every parameter (start from default_method_params())
  std::string snapshot;    // a snapshot.nerds to start from ("" = a fresh run); it brings its own parameters
  std::string make_scene;  // a built-in scene to make into data_dir when it is missing ("" = none)
  scenes::SceneOptions scene_options;
};


// Makes the scene when asked, then loads the snapshot or starts a fresh run. `status` hears
// what is being done ("making the scene ...", "loading ..."). Throws InputError for bad input.
std::unique_ptr<Engine> open_engine(const EngineSetup& setup, const std::function<void(const std::string&)>& status);

}  // namespace nerds::viewer
