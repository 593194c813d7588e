// The scene maker end to end: the default scene at a tiny size, written to a temp folder.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "renderer/data/image_io.h"
#include "renderer/error.h"
#include "scenes/generator/scene_library.h"
#include "scenes/generator/scene_maker.h"
#include "tests/test_support/text_files.h"

using namespace nerds;
using namespace nerds::scenes;
namespace fs = std::filesystem;

namespace {

using nerds_test::file_bytes;
using nerds_test::read_json;

// A fresh, empty folder under the system temp dir, removed when the test ends.
struct TempFolder {
  fs::path path;
  TempFolder() {
    std::random_device entropy;
    path = fs::temp_directory_path() / ("nerds_scene_test_" + std::to_string(entropy()) + std::to_string(entropy()));
    fs::create_directories(path);
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};



SceneOptions tiny_options() {
  SceneOptions options;
  options.resolution = 16;
  options.train_views = 5;
  options.val_views = 2;
  options.test_views = 3;
  options.samples_per_pixel = 2;
  return options;
}

// Every file below `root`, relative path -> bytes.
std::map<std::string, std::string> folder_bytes(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).string()] = file_bytes(entry.path());
  }
  return files;
}

}  // namespace

TEST_CASE("every listed scene has a name and a purpose, and default is one of them") {
  bool has_default = false;
  for (const SceneInfo& info : list_scenes()) {
    CHECK_FALSE(info.name.empty());
    CHECK_FALSE(info.purpose.empty());
    has_default = has_default || info.name == "default";
  }
  CHECK(has_default);
}

TEST_CASE("the default scene fits the NeRF-synthetic cube [-1.5, 1.5]^3") {
  Aabb box = load_scene("default").scene.bounds();
  for (int a = 0; a < 3; ++a) {
    CHECK(box.lo[a] >= -1.5f);
    CHECK(box.hi[a] <= 1.5f);
  }
}

TEST_CASE("make_scene writes the NeRF-synthetic layout of the default scene") {
  TempFolder temp;
  const SceneOptions options = tiny_options();
  make_scene("default", temp.path.string(), options);

  const std::pair<const char*, int> splits[] = {
      {"train", options.train_views}, {"val", options.val_views}, {"test", options.test_views}};
  int transparent = 0, opaque = 0;
  for (const auto& [split, count] : splits) {
    CAPTURE(split);
    nlohmann::json doc = read_json(temp.path / ("transforms_" + std::string(split) + ".json"));
    CHECK(doc.at("camera_angle_x").get<double>() > 0.1);
    REQUIRE(doc.at("frames").size() == static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
      const nlohmann::json& frame = doc["frames"][i];
      const std::string file_path = frame.at("file_path").get<std::string>();
      CHECK(file_path == "./" + std::string(split) + "/r_" + std::to_string(i));
      // Camera-to-world, OpenGL convention: about 4 units out, looking (-z) at the origin.
      const nlohmann::json& m = frame.at("transform_matrix");
      REQUIRE(m.size() == 4);
      CHECK(m[3] == nlohmann::json({0.0, 0.0, 0.0, 1.0}));
      const double position[3] = {m[0][3], m[1][3], m[2][3]};
      const double back[3] = {m[0][2], m[1][2], m[2][2]};
      const double distance = std::sqrt(position[0] * position[0] + position[1] * position[1] + position[2] * position[2]);
      CHECK(distance == doctest::Approx(4.0).epsilon(0.05));
      for (int r = 0; r < 3; ++r) CHECK(back[r] == doctest::Approx(position[r] / distance).epsilon(1e-4));
      CHECK(position[2] > 0.0);  // upper hemisphere

      Image8 image = read_image((temp.path / (file_path.substr(2) + ".png")).string());
      CHECK(image.width == options.resolution);
      CHECK(image.height == options.resolution);
      REQUIRE(image.channels == 4);
      for (size_t p = 3; p < image.pixels.size(); p += 4) {
        transparent += image.pixels[p] == 0;
        opaque += image.pixels[p] == 255;
      }
      CHECK(fs::is_regular_file(temp.path / (frame.at("depth_file_path").get<std::string>().substr(2) + ".png")));
      CHECK(fs::is_regular_file(temp.path / (frame.at("normal_file_path").get<std::string>().substr(2) + ".png")));
    }
  }
  CHECK(transparent > 0);
  CHECK(opaque > 0);
}

TEST_CASE("the same seed gives the same bytes, another seed other bytes") {
  TempFolder first, second, third;
  SceneOptions options = tiny_options();
  make_scene("default", first.path.string(), options);
  make_scene("default", second.path.string(), options);
  const auto first_files = folder_bytes(first.path);
  // 3 transforms files and the marker (nerds_scene.json); RGBA, depth and normal PNGs per view
  CHECK(first_files.size() == 4 + 3 * (5 + 2 + 3));
  CHECK(first_files == folder_bytes(second.path));
  options.seed = 2;
  make_scene("default", third.path.string(), options);
  CHECK(first_files != folder_bytes(third.path));
}

TEST_CASE("make_scene rejects an unknown scene, bad options and an unwritable folder") {
  TempFolder temp;
  CHECK_THROWS_AS(make_scene("no_such_scene", temp.path.string(), tiny_options()), InputError);
  SceneOptions bad = tiny_options();
  bad.resolution = 0;
  CHECK_THROWS_AS(make_scene("default", temp.path.string(), bad), InputError);
  // A folder cannot be made below a regular file (this holds even when running as root).
  const fs::path blocker = temp.path / "a_file";
  std::ofstream(blocker) << "x";
  CHECK_THROWS_AS(make_scene("default", (blocker / "scene").string(), tiny_options()), InputError);
}
