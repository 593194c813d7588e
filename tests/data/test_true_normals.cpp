// The normals' mean angular error's inputs and result: a generated scene's normal maps as unit
// vectors (renderer/data/true_normals.h), at full size and downscaled, and `evaluate`'s
// normal_mae for a plain model (density normals) and a Ref-NeRF model (density and predicted).
#include <doctest/doctest.h>

#include <cmath>

#include "renderer/data/dataset.h"
#include "renderer/data/true_normals.h"
#include "renderer/train/evaluate.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_engine.h"
#include "tests/test_support/small_scene.h"

using namespace nerds;

TEST_CASE("true normals: a generated scene's normal maps are unit vectors where the view shows the object") {
  nerds_test::TempFolder folder("true_normals");
  nerds_test::make_small_scene("default", folder.str(), 24, 2, 2);
  for (const int downscale : {1, 2}) {
    CAPTURE(downscale);
    DatasetOptions options;
    options.split = "test";
    options.downscale = downscale;
    const Dataset data = load_dataset(folder.str(), options);
    const std::vector<TrueNormals> truth = load_true_normals(data);
    REQUIRE(truth.size() == data.frames.size());
    for (size_t i = 0; i < truth.size(); ++i) {
      REQUIRE(truth[i].width == data.frames[i].intrinsics.width);
      int surface = 0, facing = 0;
      for (size_t p = 0; p < truth[i].normal.size(); ++p) {
        const Vec3 n = truth[i].normal[p];
        if (dot(n, n) == 0.f) continue;
        ++surface;
        CHECK(length(n) == doctest::Approx(1.f).epsilon(1e-4));
        // A visible surface faces the camera: n . (camera - point) > 0, taken here against the
        // direction to the camera from the box's centre (the object is small against the distance).
        const Vec3 to_camera = data.frames[i].pose.origin() - make_vec3(0.5f, 0.5f, 0.5f);
        facing += dot(n, to_camera) > -0.3f * length(to_camera) ? 1 : 0;
      }
      CHECK(surface > 0);
      CHECK(facing >= 0.9 * surface);
    }
  }
}

TEST_CASE("evaluate: the normals' mean angular error of a plain and of a Ref-NeRF model") {
  for (const bool ref : {false, true}) {
    CAPTURE(ref);
    nerds_test::TempFolder folder(ref ? "normal_mae_ref" : "normal_mae_plain");
    std::vector<std::string> sets;
    if (ref) sets.push_back("field.color=ref_nerf");
    const auto engine = nerds_test::small_engine(folder.str(), sets);
    for (int i = 0; i < 3; ++i) engine->train_step();
    EvalOptions options;
    options.split = "train";
    options.stride = 4;
    options.normal_stride = 4;
    const EvalResult r = evaluate(*engine, options);
    REQUIRE(std::isfinite(r.normal_mae));
    CHECK(r.normal_mae >= 0.0);
    CHECK(r.normal_mae <= 180.0);
    CHECK(std::isfinite(r.normal_mae_predicted) == ref);
    const nlohmann::json j = r.to_json();
    CHECK(j.contains("normal_mae"));
    CHECK(j["per_view"][0].contains("normal_mae_predicted"));
  }
}
