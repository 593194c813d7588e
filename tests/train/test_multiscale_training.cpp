// The `multiscale` sample scene's multires/ folder (Mip-NeRF's multiscale Blender protocol:
// every view at 1/1, 1/2, 1/4 and 1/8 size) made tiny: the engine trains on it, with and
// without Mip-NeRF's area loss, and the evaluation reports PSNR and SSIM per image size.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "renderer/engine.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/train/evaluate.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_scene.h"

using namespace nerds;

namespace {

void make_tiny_multiscale(const std::string& dir) { nerds_test::make_small_scene("multiscale", dir, 32, 8, 2); }

ParamSet small_params(bool area_loss) {
  ParamSet p = default_method_params();
  p.set("encoding.log2_table_size", int64_t{14});
  p.set("trainer.batch_samples", int64_t{4096});
  p.set("trainer.area_loss", area_loss);
  return p;
}

EngineOptions options_for(const std::string& dir) {
  EngineOptions o;
  o.data_dir = dir;
  o.device = "cpu";
  return o;
}

}  // namespace

TEST_CASE("multiscale training: the multires folder trains and evaluates with PSNR per image size") {
  nerds_test::TempFolder folder("multiscale_training");
  make_tiny_multiscale(folder.str());
  const std::string multires = (folder.path() / "multires").string();

  Engine plain(options_for(multires), small_params(false));
  const Dataset& train = plain.train_set();
  REQUIRE(train.frames.size() == 8u * 4u);
  CHECK_FALSE(train.one_image_size());
  for (size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(train.frame_images[i].width == 32 >> i);
    CHECK(train.frames[i].lossmult == static_cast<float>(1 << (2 * i)));
    CHECK(train.frames[i].intrinsics.fx == doctest::Approx(train.frames[0].intrinsics.fx / (1 << i)));
  }

  Engine weighted(options_for(multires), small_params(true));
  CHECK(weighted.config().area_loss);
  CHECK_FALSE(plain.config().area_loss);
  double first_plain = 0.0, first_weighted = 0.0;
  for (int step = 0; step < 4; ++step) {
    const StepStats a = plain.train_step(), b = weighted.train_step();
    CHECK(std::isfinite(a.loss));
    CHECK(std::isfinite(b.loss));
    CHECK(a.rays == b.rays);  // the same rays ...
    if (step == 0) {
      first_plain = a.loss;
      first_weighted = b.loss;
    }
  }
  CHECK(first_plain != first_weighted);  // ... weighted by their pixels' area

  const EvalResult r = evaluate(plain, EvalOptions{});
  CHECK(r.views == 2 * 4);
  CHECK(r.width == 32);
  REQUIRE(r.per_size.size() == 4);
  for (size_t s = 0; s < 4; ++s) {
    CAPTURE(s);
    CHECK(r.per_size[s].width == 32 >> s);  // largest first, as Mip-NeRF's Table 1
    CHECK(r.per_size[s].views == 2);
    CHECK(std::isfinite(r.per_size[s].psnr));
    CHECK(r.per_size[s].psnr > 3.0);
  }
  // SSIM needs 11x11: the 8x8 and 4x4 views have none, and the mean is over the others.
  CHECK(std::isfinite(r.per_size[1].ssim));
  CHECK(std::isnan(r.per_size[2].ssim));
  CHECK(r.ssim == doctest::Approx((r.per_size[0].ssim + r.per_size[1].ssim) / 2));
  CHECK(r.psnr ==
        doctest::Approx((r.per_size[0].psnr + r.per_size[1].psnr + r.per_size[2].psnr + r.per_size[3].psnr) / 4));
  const nlohmann::json j = r.to_json();
  REQUIRE(j["per_size"].size() == 4);
  CHECK(j["per_size"][3]["width"] == 4);
  CHECK(j["per_size"][3]["ssim"].is_null());
  CHECK(j["per_view"][1]["width"] == 16);
}

TEST_CASE("multiscale training: on single-scale data the area loss changes nothing") {
  nerds_test::TempFolder folder("multiscale_single");
  make_tiny_multiscale(folder.str());  // its top folder holds the full-size views only
  Engine off(options_for(folder.str()), small_params(false));
  Engine on(options_for(folder.str()), small_params(true));
  CHECK(off.train_set().one_image_size());
  for (int step = 0; step < 2; ++step) CHECK(off.train_step().loss == on.train_step().loss);
}
