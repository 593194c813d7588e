// The built-in `default` scene: a few primitives on a checkered plate, one striped, one
// with a strong specular highlight, lit by a sun and a point light with hard shadows.
#pragma once

#include "scenes/generator/scene.h"
#include "scenes/generator/scene_recipe.h"

namespace nerds::scenes {

Scene build_default_scene();
SceneRecipe default_scene_recipe();

}  // namespace nerds::scenes
