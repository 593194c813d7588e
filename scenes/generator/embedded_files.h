// The scene library's files (scenes/library/*.json and the meshes they use), compiled into
// nerds_scenes by scenes/CMakeLists.txt, so `nerds scene make NAME` works from any folder.
#pragma once

#include <vector>

namespace nerds::scenes {

struct EmbeddedFile {
  const char* path;  // relative to scenes/library/, e.g. "glossy.json", "meshes/gem.obj"
  const char* text;
};

// In path order. Defined in the generated embedded_library_files.cpp.
const std::vector<EmbeddedFile>& embedded_library_files();

}  // namespace nerds::scenes
