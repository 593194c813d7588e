// How one named scene is made: its description, where its cameras go, and its content.
#pragma once

#include <functional>

#include "scenes/generator/camera_rig.h"
#include "scenes/generator/scene.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::scenes {

struct SceneRecipe {
  SceneInfo info;
  CameraRig rig;
  std::function<Scene()> build;
};

}  // namespace nerds::scenes
