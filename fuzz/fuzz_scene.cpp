// Fuzz target: a scene description file (scenes/generator/scene_description.cpp,
// scene_content.cpp, scene_library.cpp's "extends"), loaded with load_scene as `nerds scene
// make FILE` does, which also prepares the scene (meshes, BVH). The input is the scene file;
// its folder holds tri.obj (one triangle) and quad.obj (two), which a mesh object may name.
#include "fuzz/fuzz_support.h"
#include "scenes/generator/scene_library.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nerds_fuzz::fs::path dir = [] {
    const nerds_fuzz::fs::path d = nerds_fuzz::scratch_subfolder("scene");
    const std::string tri = "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n";
    const std::string quad = "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2//1 3//1\nf 1//1 3//1 4//1\n";
    nerds_fuzz::write_bytes(d / "tri.obj", reinterpret_cast<const uint8_t*>(tri.data()), tri.size());
    nerds_fuzz::write_bytes(d / "quad.obj", reinterpret_cast<const uint8_t*>(quad.data()), quad.size());
    return d;
  }();
  const nerds_fuzz::fs::path file = dir / "scene.json";
  nerds_fuzz::write_bytes(file, data, size);
  return nerds_fuzz::expect_input_error_or_success([&] { nerds::scenes::load_scene(file.string()); });
}
