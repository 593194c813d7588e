// A session file that names a built-in scene and a folder (viewer/core/engine_setup.h): the
// viewer makes the scene there once, reuses it when the folder's marker names that very scene,
// and refuses to make it over anything else (another scene, another dataset).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_scene.h"
#include "viewer/core/engine_setup.h"

namespace fs = std::filesystem;
using nerds::viewer::EngineSetup;
using nerds::viewer::open_engine;

namespace {

EngineSetup session_scene(const std::string& dir, uint32_t seed) {
  EngineSetup e;
  e.data_dir = dir;
  e.make_scene = "default";
  e.scene_options = nerds_test::small_scene_options(12, 3, 1, 1, seed);
  e.params = nerds::default_method_params();
  e.params.set("encoding.log2_table_size", int64_t{12});
  return e;
}

void quiet(const std::string&) {}

}  // namespace

TEST_CASE("session scene folder: made once, reused when it is that scene, never made over another") {
  nerds_test::TempFolder tmp("session_scene");
  const fs::path dir = tmp.path() / "view-default";
  CHECK(open_engine(session_scene(dir.string(), 1), quiet)->train_set().frames.size() == 3);
  const auto made = fs::last_write_time(dir / "transforms_train.json");
  CHECK(open_engine(session_scene(dir.string(), 1), quiet));  // reused as it is
  CHECK(fs::last_write_time(dir / "transforms_train.json") == made);

  CHECK_THROWS_WITH_AS(open_engine(session_scene(dir.string(), 2), quiet), doctest::Contains("another scene"),
                       nerds::InputError);
  CHECK(fs::last_write_time(dir / "transforms_train.json") == made);

  const fs::path dataset = tmp.path() / "my_dataset";  // a dataset of the user's: no marker
  fs::create_directories(dataset);
  std::ofstream(dataset / "transforms_train.json") << "{}";
  CHECK_THROWS_WITH_AS(open_engine(session_scene(dataset.string(), 1), quiet),
                       doctest::Contains("not making the scene 'default' over it"), nerds::InputError);
  CHECK(fs::file_size(dataset / "transforms_train.json") == 2);
}
