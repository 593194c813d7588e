// Scene files of one's own: a JSON file on disk (with its own OBJ mesh, or extending a
// library scene) makes a scene; a typo or a bad value is an error naming the file and field.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "renderer/data/dataset.h"
#include "renderer/error.h"
#include "scenes/generator/scene_library.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"

using namespace nerds;
using namespace nerds::scenes;

namespace {

const char* kOwnScene = R"json({
  "name": "my-pyramid",
  "purpose": "A user's own scene: a pyramid from an OBJ file next to the scene file, on a disk.",
  "papers": "None (a test of scene files)",
  "camera": {"rig": "sphere", "radius": 3.5},
  "materials": {"stone": {"albedo": [0.7, 0.6, 0.5]}, "floor": {"albedo": {"type": "checker", "colors": [[1, 1, 1], [0, 0, 0]], "cell": 0.25}}},
  "objects": [
    {"shape": "obj", "file": "pyramid.obj", "transform": {"scale": 0.8}, "material": "stone"},
    {"shape": "disk", "center": [0, 0, -0.01], "normal": [0, 0, 1], "radius": 1.0, "material": "floor"}
  ],
  "lights": [{"type": "directional", "direction": [1, 1, 2]}],
  "ambient": [0.1, 0.1, 0.1]
})json";

const char* kPyramid =
    "v -1 -1 0\nv 1 -1 0\nv 1 1 0\nv -1 1 0\nv 0 0 1.2\nf 4 3 2 1\nf 1 2 5\nf 2 3 5\nf 3 4 5\nf 4 1 5\n";

void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

// The InputError message of loading `text` as a scene file, or "" when it loads.
std::string load_error(const nerds_test::TempFolder& temp, const std::string& text) {
  const auto path = temp.path() / "scene.json";
  write(path, text);
  try {
    load_scene(path.string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a scene file on disk with its own OBJ mesh makes a loadable scene") {
  nerds_test::TempFolder temp("own_scene");
  write(temp.path() / "pyramid.obj", kPyramid);
  write(temp.path() / "my_scene.json", kOwnScene);
  SceneOptions o;
  o.resolution = 16;
  o.train_views = 6;
  o.val_views = 1;
  o.test_views = 2;
  o.samples_per_pixel = 1;
  const SceneMade made = make_scene((temp.path() / "my_scene.json").string(), (temp.path() / "out").string(), o);
  CHECK(made.info.name == "my-pyramid");
  const Dataset data = load_dataset((temp.path() / "out").string());
  CHECK(data.frames.size() == 6);
  // The sphere rig puts cameras below the horizon too.
  bool below = false;
  for (const Frame& f : data.frames) below = below || f.pose.origin().z < 0.5f;  // engine frame: offset 0.5
  CHECK(below);
}

TEST_CASE("a scene file can extend a library scene, replacing whole top-level fields") {
  nerds_test::TempFolder temp("extends");
  const auto path = temp.path() / "bright.json";
  write(path, R"json({"extends": "glossy", "name": "bright-glossy",
                  "purpose": "The glossy scene under a brighter ambient light, as a test of extends.",
                  "papers": "Ref-NeRF (Verbin et al. 2022)", "ambient": [0.3, 0.3, 0.3]})json");
  const SceneDescription d = load_scene(path.string());
  CHECK(d.info.name == "bright-glossy");
  CHECK(d.scene.ambient().x == doctest::Approx(0.3f));
  CHECK(d.scene.objects().size() == load_scene("glossy").scene.objects().size());  // the gem OBJ from the library
}

TEST_CASE("scene file errors name the file and the field") {
  nerds_test::TempFolder temp("bad_scene");
  write(temp.path() / "pyramid.obj", kPyramid);
  const std::string good = kOwnScene;
  CHECK(load_error(temp, good).empty());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  const std::string file = (temp.path() / "scene.json").string();
  struct Case {
    std::string text, expect;
  };
  const Case cases[] = {
      {with("\"ambient\"", "\"ambiant\""), "ambiant: unknown field"},
      {with("\"radius\": 3.5", "\"radius\": 3.5, \"fov\": 1"), "camera.fov: unknown field"},
      {with("\"scale\": 0.8", "\"scale\": 0.8, \"skew\": 1"), "objects[0].transform.skew: unknown field"},
      {with("\"shape\": \"disk\"", "\"shape\": \"donut\""), "objects[1].shape: unknown shape 'donut'"},
      {with("\"material\": \"floor\"", "\"material\": \"flor\""), "objects[1].material: no material named 'flor'"},
      {with("\"radius\": 1.0", "\"radius\": -1.0"), "objects[1].radius: must be in"},
      {with("[0.7, 0.6, 0.5]", "[0.7, 0.6, 1.5]"), "materials.stone.albedo: sRGB components must be in [0, 1]"},
      {with("\"pyramid.obj\"", "\"missing.obj\""), "objects[0].file: mesh file not found: missing.obj"},
      {with("\"sphere\"", "\"cube\""), "camera.rig: unknown rig 'cube'"},
      {with("\"type\": \"directional\"", "\"type\": \"spot\""), "lights[0].type: unknown light 'spot'"},
      {with("\"disk\", \"center\"", "\"sphere\", \"transform\": {}, \"center\""),
       "transform and repeat apply to the mesh shapes"},
      {with("\"radius\": 3.5}", "\"radius\": 3.5}, \"views\": {\"max_train\": 0}"), "views.max_train: must be in"},
      {"{\"name\": \"x\",", "malformed JSON"},
      {"[1, 2]", "must be a JSON object"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.expect);
    const std::string message = load_error(temp, c.text);
    CHECK(message.find(c.expect) != std::string::npos);
    CHECK(message.find(file) != std::string::npos);
  }
  CHECK_THROWS_WITH_AS(load_scene("no-such-scene"), doctest::Contains("known: default, glossy"), InputError);
  CHECK_THROWS_WITH_AS(load_scene((temp.path() / "nope.json").string()), doctest::Contains("scene file not found"),
                       InputError);
}
