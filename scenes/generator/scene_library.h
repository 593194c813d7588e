// The sample scenes: the JSON files of scenes/library/ (compiled in), and scene files of
// one's own on disk. A scene file may start from a library scene with "extends": NAME, its
// own top-level fields replacing the base's.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenes/generator/scene_description.h"
#include "scenes/generator/scene_maker.h"

namespace nerds::scenes {

// Library scene names in listing order (the order, then any others by name).
std::vector<std::string> library_scene_names();

// A library scene's name, purpose and papers (after "extends").
SceneInfo library_scene_info(const std::string& name);

// A library scene name, or a path to a .json scene file. Throws InputError naming the file
// and field on bad input, or listing the known names for an unknown one.
SceneDescription load_scene(const std::string& name_or_path);

// The document of a library scene with "extends" resolved (for tests and tools).
nlohmann::json library_scene_document(const std::string& name);

}  // namespace nerds::scenes
