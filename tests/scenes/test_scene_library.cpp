// Every sample scene of scenes/library/: described with its purpose, made at a tiny size and
// loaded back through the engine's dataset loader, with the property it exists for checked.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"
#include "scenes/generator/scene_library.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/text_files.h"

using namespace nerds;
using namespace nerds::scenes;
namespace fs = std::filesystem;

namespace {

using nerds_test::file_bytes;
using nerds_test::read_json;

SceneOptions library_scene_options(int resolution = 24) {
  SceneOptions o;
  o.resolution = resolution;
  o.train_views = 10;
  o.val_views = 2;
  o.test_views = 4;
  o.samples_per_pixel = 1;  // scenes may raise it (fine and multiscale ask for 8)
  return o;
}



double pose_distance(const nlohmann::json& a, const nlohmann::json& b) {
  double sum = 0.0;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 4; ++c) sum += std::fabs(a[r][c].get<double>() - b[r][c].get<double>());
  }
  return sum;
}

// Fraction of opaque pixels over every image of a split.
double opaque_fraction(const Dataset& data) {
  size_t opaque = 0;
  for (size_t i = 3; i < data.rgba.size(); i += 4) opaque += data.rgba[i] == 255;
  return static_cast<double>(opaque) / static_cast<double>(data.rgba.size() / 4);
}

}  // namespace

TEST_CASE("the scene library lists the nine sample scenes in order, each saying what it shows and for whom") {
  const std::vector<std::string> expected = {"default", "glossy",     "multiscale",  "unbounded", "forward",
                                             "fine",    "appearance", "noisy-poses", "sparse"};
  REQUIRE(library_scene_names().size() >= expected.size());
  for (size_t i = 0; i < expected.size(); ++i) CHECK(library_scene_names()[i] == expected[i]);
  for (const SceneInfo& info : list_scenes()) {
    CAPTURE(info.name);
    CHECK(info.purpose.size() > 80);                    // a sentence on what it shows, not a placeholder
    CHECK(info.papers.find('(') != std::string::npos);  // "Paper (Authors year)"
    // The description parses and builds (meshes included).
    const SceneDescription d = load_scene(info.name);
    CHECK(d.info.name == info.name);
    CHECK_FALSE(d.scene.objects().empty());
  }
}

TEST_CASE("every sample scene makes at a tiny size and loads back through the dataset loader") {
  for (const std::string& name : library_scene_names()) {
    CAPTURE(name);
    nerds_test::TempFolder temp("scene_" + name);
    const SceneMade made = make_scene(name, temp.str(), library_scene_options());
    for (const char* split : {"train", "val", "test"}) {
      CAPTURE(split);
      DatasetOptions options;
      options.split = split;
      const Dataset data = load_dataset(temp.str(), options);
      CHECK(data.format == "nerf_synthetic");
      CHECK(data.width == 24);
      CHECK(data.height == 24);
      CHECK(data.has_alpha);
      const int expected = std::string(split) == "train" ? made.train_views : (std::string(split) == "val" ? 2 : 4);
      CHECK(data.frames.size() == static_cast<size_t>(expected));
      CHECK(opaque_fraction(data) > 0.05);
    }
    const nlohmann::json test = read_json(temp.path() / "transforms_test.json");
    CHECK(test.at("scene") == name);
    CHECK(test.at("near_far")[0].get<double>() > 0.0);
    const std::string first = test["frames"][0]["file_path"].get<std::string>().substr(2);
    Image8 depth = read_image((temp.path() / (first + "_depth.png")).string());
    Image8 normal = read_image((temp.path() / (first + "_normal.png")).string());
    CHECK(depth.width == 24);
    CHECK(normal.channels == 3);
  }
}

TEST_CASE("scene-specific properties: sparse, unbounded, forward, multiscale") {
  nerds_test::TempFolder temp("scene_specific");
  SUBCASE("sparse keeps at most 8 training views") {
    SceneOptions o = library_scene_options();
    o.train_views = 100;
    o.resolution = 8;
    CHECK(make_scene("sparse", temp.str(), o).train_views == 8);
    CHECK(read_json(temp.path() / "transforms_train.json")["frames"].size() == 8);
  }
  SUBCASE("unbounded: every pixel opaque, the background far outside the object's box") {
    make_scene("unbounded", temp.str(), library_scene_options());
    DatasetOptions options;
    options.split = "test";
    CHECK(opaque_fraction(load_dataset(temp.str(), options)) == 1.0);
    CHECK(read_json(temp.path() / "transforms_test.json")["near_far"][1].get<double>() > 30.0);
  }
  SUBCASE("forward: every camera looks the same way, every pixel is opaque") {
    make_scene("forward", temp.str(), library_scene_options());
    const nlohmann::json train = read_json(temp.path() / "transforms_train.json");
    const nlohmann::json& first = train["frames"][0]["transform_matrix"];
    for (const nlohmann::json& frame : train["frames"]) {
      for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c)
          CHECK(frame["transform_matrix"][r][c].get<double>() ==
                doctest::Approx(first[r][c].get<double>()).epsilon(1e-6));
      }
    }
    DatasetOptions options;
    options.split = "train";
    const Dataset data = load_dataset(temp.str(), options);
    CHECK(opaque_fraction(data) == 1.0);
    // The loader reads the depth range the scene wrote (NDC's near plane comes from it).
    const nlohmann::json& near_far = train["near_far"];
    CHECK(data.near_bound == doctest::Approx(near_far[0].get<double>()));
    CHECK(data.far_bound == doctest::Approx(near_far[1].get<double>()));
    CHECK(data.near_bound > 0.f);
  }
  SUBCASE("multiscale: four camera distances, and multires/ holds each view at 1/1 to 1/8 size") {
    make_scene("multiscale", temp.str(), library_scene_options(32));
    const nlohmann::json train = read_json(temp.path() / "transforms_train.json");
    std::vector<double> distances;
    for (int i = 0; i < 4; ++i) {
      const nlohmann::json& m = train["frames"][i]["transform_matrix"];
      distances.push_back(std::sqrt(std::pow(m[0][3].get<double>(), 2) + std::pow(m[1][3].get<double>(), 2) +
                                    std::pow(m[2][3].get<double>(), 2)));
    }
    CHECK(distances[1] / distances[0] == doctest::Approx(2.0).epsilon(0.05));
    CHECK(distances[3] / distances[0] == doctest::Approx(8.0).epsilon(0.05));
    const nlohmann::json multires = read_json(temp.path() / "multires" / "transforms_test.json");
    REQUIRE(multires["frames"].size() == 4 * 4);
    for (const nlohmann::json& frame : multires["frames"]) {
      const int w = frame["w"].get<int>();
      CHECK(w == 32 / frame["downscale"].get<int>());
      CHECK(frame["lossmult"].get<int>() == frame["downscale"].get<int>() * frame["downscale"].get<int>());
      const fs::path image =
          (temp.path() / "multires" / (frame["file_path"].get<std::string>() + ".png")).lexically_normal();
      CHECK(read_image_info(image.string()).width == w);
    }
  }
}

TEST_CASE("noisy-poses: the default scene's images under perturbed poses, the true poses kept aside") {
  nerds_test::TempFolder noisy("noisy"), clean("clean");
  make_scene("noisy-poses", noisy.str(), library_scene_options());
  make_scene("default", clean.str(), library_scene_options());
  const nlohmann::json written = read_json(noisy.path() / "transforms_train.json");
  const nlohmann::json truth = read_json(noisy.path() / "transforms_train_true.json");
  const nlohmann::json reference = read_json(clean.path() / "transforms_train.json");
  CHECK(written.at("pose_noise").at("true_poses") == "transforms_train_true.json");
  for (size_t i = 0; i < written["frames"].size(); ++i) {
    CAPTURE(i);
    CHECK(pose_distance(truth["frames"][i]["transform_matrix"], reference["frames"][i]["transform_matrix"]) < 1e-6);
    const double off = pose_distance(written["frames"][i]["transform_matrix"], truth["frames"][i]["transform_matrix"]);
    CHECK(off > 1e-4);
    CHECK(off < 2.0);
    const std::string image = "train/r_" + std::to_string(i) + ".png";
    CHECK(file_bytes(noisy.path() / image) == file_bytes(clean.path() / image));
  }
  // Val and test poses are exact.
  CHECK(read_json(noisy.path() / "transforms_test.json")["frames"] ==
        read_json(clean.path() / "transforms_test.json")["frames"]);
}

TEST_CASE("appearance: training views vary in exposure and show transients, test views stay clean") {
  nerds_test::TempFolder varied("appearance"), again("appearance_again"), clean("clean");
  SceneOptions o = library_scene_options();
  o.train_views = 16;
  make_scene("appearance", varied.str(), o);
  make_scene("appearance", again.str(), o);
  make_scene("default", clean.str(), o);
  const nlohmann::json train = read_json(varied.path() / "transforms_train.json");
  int with_transients = 0, differing = 0;
  double lo = 10.0, hi = 0.0;
  for (size_t i = 0; i < train["frames"].size(); ++i) {
    const nlohmann::json& frame = train["frames"][i];
    lo = std::min(lo, frame.at("exposure").get<double>());
    hi = std::max(hi, frame.at("exposure").get<double>());
    with_transients += frame.at("transient_count").get<int>() > 0;
    const std::string image = "train/r_" + std::to_string(i) + ".png";
    differing += file_bytes(varied.path() / image) != file_bytes(clean.path() / image);
  }
  CHECK(lo < 0.9);
  CHECK(hi > 1.1);
  CHECK(with_transients >= 3);
  CHECK(with_transients <= 13);
  CHECK(differing == static_cast<int>(train["frames"].size()));
  for (int i = 0; i < 4; ++i) {  // test views: exactly the default scene's
    const std::string image = "test/r_" + std::to_string(i) + ".png";
    CHECK(file_bytes(varied.path() / image) == file_bytes(clean.path() / image));
  }
  // Deterministic for a seed, variations included.
  for (int i = 0; i < 16; ++i) {
    const std::string image = "train/r_" + std::to_string(i) + ".png";
    CHECK(file_bytes(varied.path() / image) == file_bytes(again.path() / image));
  }
  CHECK(file_bytes(varied.path() / "transforms_train.json") == file_bytes(again.path() / "transforms_train.json"));
}
