// evaluate(): the NeRF-synthetic protocol as a library function, on a tiny generated scene
// after a few training steps (small batch and table so it runs in about a second).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/train/evaluate.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"

using namespace nerds;
namespace fs = std::filesystem;

namespace {

void make_tiny_scene(const std::string& dir) {
  scenes::SceneOptions o;
  o.resolution = 16;
  o.train_views = 4;
  o.val_views = 1;
  o.test_views = 5;
  o.samples_per_pixel = 1;
  scenes::make_scene("default", dir, o);
}

ParamSet fast_params() {
  ParamSet p = default_method_params();
  p.set_from_string("trainer.batch_samples=4096");
  p.set_from_string("encoding.log2_table_size=14");
  return p;
}

std::unique_ptr<Engine> trained_engine(const std::string& scene_dir, int steps) {
  EngineOptions o;
  o.data_dir = scene_dir;
  auto engine = std::make_unique<Engine>(o, fast_params());
  for (int i = 0; i < steps; ++i) engine->train_step();
  return engine;
}

}  // namespace

TEST_CASE("cli evaluate: every Nth test view, finite metrics, images written") {
  nerds_test::TempFolder tmp("cli_evaluate");
  const std::string scene = (tmp.path() / "scene").string();
  make_tiny_scene(scene);
  const auto engine = trained_engine(scene, 3);

  EvalOptions options;
  options.split = "test";
  options.stride = 2;
  options.image_dir = (tmp.path() / "eval").string();
  int callbacks = 0;
  options.on_view = [&](int done, int total, const ViewMetrics&) {
    ++callbacks;
    CHECK(done == callbacks);
    CHECK(total == 3);
  };
  const EvalResult r = evaluate(*engine, options);
  CHECK(r.split == "test");
  CHECK(r.stride == 2);
  REQUIRE(r.views == 3);  // views 0, 2, 4 of 5
  REQUIRE(r.per_view.size() == 3);
  CHECK(callbacks == 3);
  CHECK(r.width == 16);
  CHECK(r.height == 16);
  double psnr_sum = 0, ssim_sum = 0;
  for (size_t k = 0; k < r.per_view.size(); ++k) {
    const ViewMetrics& v = r.per_view[k];
    CHECK(v.index == static_cast<int>(2 * k));
    CHECK(v.name == "r_" + std::to_string(2 * k));
    CHECK(std::isfinite(v.psnr));
    CHECK(std::isfinite(v.ssim));
    CHECK(v.psnr > 0.0);
    CHECK(v.ssim <= 1.0);
    CHECK(v.psnr == doctest::Approx(-10.0 * std::log10(v.mse)));
    psnr_sum += v.psnr;
    ssim_sum += v.ssim;
    for (const char* suffix : {"_pred.png", "_gt.png", "_err.png"}) {
      const fs::path file = tmp.path() / "eval" / (v.name + suffix);
      CHECK_MESSAGE(fs::exists(file), file.string());
      const Image8 img = read_image(file.string());
      CHECK(img.width == 16);
      CHECK(img.height == 16);
      CHECK(img.channels == 3);
    }
  }
  // Views that were skipped have no images.
  CHECK_FALSE(fs::exists(tmp.path() / "eval" / "r_1_pred.png"));
  CHECK(r.psnr == doctest::Approx(psnr_sum / 3));  // mean of per-view PSNRs
  CHECK(r.ssim == doctest::Approx(ssim_sum / 3));

  const nlohmann::json j = r.to_json();
  CHECK(j["views"] == 3);
  CHECK(j["stride"] == 2);
  CHECK(j["split"] == "test");
  CHECK(j["background"] == "white");
  CHECK(j["per_view"].size() == 3);
  CHECK(j["psnr"].get<double>() == doctest::Approx(r.psnr));
  CHECK(j["mean"]["ssim"].get<double>() == doctest::Approx(r.ssim));

  {  // all views, no images; the ground truth file is the composite on white
    EvalOptions all;
    const Dataset test = engine->load_split("test");
    const EvalResult every = evaluate(*engine, test, all);
    CHECK(every.views == 5);
    CHECK(every.per_view[2].psnr == doctest::Approx(r.per_view[1].psnr));  // deterministic rendering
    const std::vector<float> gt = composite_ground_truth(test, 0, all.background);
    const Image8 written = read_image((tmp.path() / "eval" / "r_0_gt.png").string());
    CHECK(rgb_to_image(gt, test.width, test.height).pixels == written.pixels);
  }
  {  // a bad stride is an input error
    options.stride = 0;
    CHECK_THROWS_AS(evaluate(*engine, options), InputError);
  }
  {  // a split loaded without images is an input error
    const Dataset headers = engine->load_split("test", false);
    CHECK_THROWS_AS(evaluate(*engine, headers, EvalOptions{}), InputError);
  }
}

TEST_CASE("cli evaluate: compositing on the background and the error image") {
  Dataset d;
  d.frames.resize(1);
  d.frames[0].intrinsics.width = 2;
  d.frames[0].intrinsics.height = 1;
  d.lay_out_images();
  // A transparent pixel and an opaque red one (straight alpha).
  d.rgba = {0, 0, 0, 0, 255, 0, 0, 255};
  const float white[3] = {1.f, 1.f, 1.f}, black[3] = {0.f, 0.f, 0.f};
  const std::vector<float> on_white = composite_ground_truth(d, 0, white);
  CHECK(on_white == std::vector<float>{1, 1, 1, 1, 0, 0});
  const std::vector<float> on_black = composite_ground_truth(d, 0, black);
  CHECK(on_black == std::vector<float>{0, 0, 0, 1, 0, 0});
  // Half-covered gray: 0.5 * 128/255 + 0.5 * 1.
  d.rgba = {128, 128, 128, 255, 128, 128, 128, 0};
  d.rgba[3] = 128;
  const std::vector<float> half = composite_ground_truth(d, 0, white);
  CHECK(half[0] == doctest::Approx(128.f / 255.f * 128.f / 255.f + (1.f - 128.f / 255.f)));

  const Image8 err = error_image(on_white, on_black, 2, 1, 5.f);
  REQUIRE(err.pixels.size() == 6);
  CHECK(err.pixels[0] == 255);  // |1 - 0| * 5 clamps to 1: white
  CHECK(err.pixels[1] == 255);
  CHECK(err.pixels[2] == 255);
  CHECK(err.pixels[3] == 0);  // identical: black
  CHECK(err.pixels[4] == 0);
  CHECK(err.pixels[5] == 0);
}
