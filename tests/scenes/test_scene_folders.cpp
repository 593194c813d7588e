// Where make_scene writes (scenes/generator/scene_maker.h): never over a folder that holds
// other content unless asked, the folder whole or not at all, with the marker that
// ensure_scene (nerds demo, the viewer's session files) reads to reuse or refuse a folder.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/hidden_entries.h"
#include "tests/test_support/small_scene.h"

namespace fs = std::filesystem;
using nerds::InputError;
using nerds::scenes::ensure_scene;
using nerds::scenes::make_scene;
using nerds::scenes::SceneOptions;

namespace {

SceneOptions tiny(uint32_t seed = 1) { return nerds_test::small_scene_options(12, 3, 1, 1, seed); }

nlohmann::json marker_of(const fs::path& dir) {
  return nerds::json_fields::read_json_file((dir / nerds::scenes::kSceneMarkerFile).string());
}

}  // namespace

TEST_CASE("make_scene: a new or empty folder, a dataset only with overwrite, never other content") {
  nerds_test::TempFolder tmp("scene_folders");
  const fs::path out = tmp.path() / "scene";
  make_scene("default", out.string(), tiny());
  CHECK(marker_of(out) == nerds::scenes::scene_marker("default", tiny()));
  CHECK(nerds_test::hidden_entries(tmp.path()) == 0);  // written beside, moved into place, nothing left

  CHECK_THROWS_WITH_AS(make_scene("default", out.string(), tiny(2)), doctest::Contains("pass --overwrite"), InputError);
  CHECK(marker_of(out)["seed"] == 1);  // refused: untouched
  make_scene("default", out.string(), tiny(2), /*overwrite=*/true);
  CHECK(marker_of(out)["seed"] == 2);

  const fs::path notes = tmp.path() / "notes";
  fs::create_directory(notes);
  std::ofstream(notes / "todo.txt") << "mine";
  CHECK_THROWS_WITH_AS(make_scene("default", notes.string(), tiny(), true), doctest::Contains("holds no dataset (todo.txt)"),
                       InputError);
  CHECK(fs::exists(notes / "todo.txt"));

  CHECK(nerds_test::hidden_entries(tmp.path()) == 0);
}

TEST_CASE("ensure_scene: reuses the very scene, refuses anything else unless it is a made scene to replace") {
  nerds_test::TempFolder tmp("ensure_scene");
  const fs::path dir = tmp.path() / "view-default";
  CHECK(ensure_scene("default", dir.string(), tiny()));        // made
  CHECK_FALSE(ensure_scene("default", dir.string(), tiny()));  // reused
  CHECK_THROWS_WITH_AS(ensure_scene("default", dir.string(), tiny(5)), doctest::Contains("seed 1 -> 5"), InputError);
  CHECK_THROWS_WITH_AS(ensure_scene("glossy", dir.string(), tiny()), doctest::Contains("scene \"default\" -> \"glossy\""),
                       InputError);
  CHECK(marker_of(dir)["seed"] == 1);
  CHECK(ensure_scene("default", dir.string(), tiny(5), /*replace_made_scene=*/true));  // nerds demo's own folder
  CHECK(marker_of(dir)["seed"] == 5);

  // A dataset that was not made here (no marker) is never made over, even by nerds demo.
  const fs::path dataset = tmp.path() / "lego";
  make_scene("default", dataset.string(), tiny());
  fs::remove(dataset / nerds::scenes::kSceneMarkerFile);
  CHECK_THROWS_WITH_AS(ensure_scene("default", dataset.string(), tiny(), true), doctest::Contains("no nerds_scene.json"),
                       InputError);
  CHECK(fs::exists(dataset / "transforms_train.json"));
}
