// End-to-end smoke tests of training through the public Engine on the project's default
// scene at a small size: the loss falls, the test views reach a PSNR floor in bounded time,
// runs are deterministic for a seed, and snapshots restore the exact model.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/engine.h"
#include "renderer/techniques/core/modules.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/engine_eval.h"
#include "tests/test_support/small_engine.h"

using nerds::Engine;
using nerds::EngineOptions;
using nerds::ParamSet;
using nerds::StepStats;

namespace {

using nerds_test::engine_options;

// The default scene at 32x32: 20 training views, 5 test views (a few hundred ms to make).
void make_small_scene(const std::string& dir) {
  nerds::scenes::SceneOptions o;
  o.resolution = 32;
  o.train_views = 20;
  o.val_views = 0;
  o.test_views = 5;
  o.samples_per_pixel = 4;
  nerds::scenes::make_scene("default", dir, o);
}

// The paper's method at a CPU-test size: a 2^15 table, 8192 samples per step, the occupancy
// grid's warm-up (every cell re-evaluated) over 32 steps instead of 256.
ParamSet small_params(int64_t seed = 1337) {
  ParamSet p = nerds::default_method_params();
  p.set("encoding.log2_table_size", int64_t{15});
  p.set("trainer.batch_samples", int64_t{8192});
  p.set("occupancy.warmup_steps", int64_t{32});
  p.set("trainer.seed", seed);
  return p;
}


}  // namespace

TEST_CASE("training smoke: 150 steps on the small default scene lower the loss and reach a PSNR floor") {
  nerds_test::TempFolder folder("smoke");
  make_small_scene(folder.str());
  const auto start = std::chrono::steady_clock::now();
  Engine engine(engine_options(folder.str()), small_params());
  std::vector<double> losses;
  for (int i = 0; i < 150; ++i) {
    const StepStats s = engine.train_step();
    CAPTURE(i);
    CHECK(s.step == i + 1);
    CHECK(s.rays > 0);
    CHECK(s.used_samples > 0);
    // The loss sees at most what the forward pass evaluated (early termination drops the rest).
    CHECK(s.used_samples <= s.marched_samples);
    CHECK(std::isfinite(s.loss));
    losses.push_back(s.loss);
  }
  const double train_seconds = nerds_test::seconds_since(start);
  double first = 0.0, last = 0.0;
  for (int i = 0; i < 5; ++i) first += losses[i] / 5;
  for (int i = 130; i < 150; ++i) last += losses[i] / 20;

  const nerds::Dataset test = engine.load_split("test");
  REQUIRE(test.frames.size() == 5u);
  const nerds_test::SplitScore score = nerds_test::score_split(engine, test, 1);
  const double total_seconds = nerds_test::seconds_since(start);
  // The trivial answer, an empty scene (white everywhere), for scale.
  double white_psnr = 0.0;
  const float white[3] = {1.f, 1.f, 1.f};
  for (size_t i = 0; i < test.frames.size(); ++i) {
    const std::vector<float> gt = nerds_test::ground_truth_over(test, i, white);
    const std::vector<float> blank(gt.size(), 1.f);
    white_psnr += nerds::psnr(blank.data(), gt.data(), gt.size()) / static_cast<double>(test.frames.size());
  }
  MESSAGE("smoke: loss " << first << " (first 5 steps) -> " << last << " (last 20); test PSNR " << score.mean_psnr
                         << " dB (min " << score.min_psnr << ", empty scene " << white_psnr << "); "
                         << train_seconds << " s training, " << total_seconds << " s with evaluation");
  // Measured (2 cores, AVX-512 build): seed 1337 -> loss ratio 0.37, PSNR 17.24 dB with the L2
  // loss; over seeds 1-5 the ratio was 0.37-0.51 and the PSNR 16.68-17.62 dB (a machine with
  // other SIMD rounds the GEMMs differently and lands somewhere in that spread). The Huber
  // default (issue 14): ratio 0.37, 17.57 dB for seed 1337. So the bounds are: loss ratio < 0.6,
  // PSNR >= 15.5 dB (an empty scene scores 8.16 dB). Time is the benchmarks' business, not a test's.
  CHECK(last < 0.6 * first);
  CHECK(score.mean_psnr >= 15.5);
  CHECK(score.mean_psnr > white_psnr + 6.0);
  CHECK(engine.stats().used_samples <= engine.stats().marched_samples);
  CHECK(engine.stats().step == 150);
}

TEST_CASE("training is deterministic: the same seed gives bit-identical state after 5 steps") {
  nerds_test::TempFolder folder("determinism");
  make_small_scene(folder.str());
  Engine a(engine_options(folder.str()), small_params(7));
  Engine b(engine_options(folder.str()), small_params(7));
  Engine c(engine_options(folder.str()), small_params(8));
  CHECK(nerds_test::same_training_state(a.trainer(), b.trainer()));
  for (int i = 0; i < 5; ++i) {
    const StepStats sa = a.train_step();
    const StepStats sb = b.train_step();
    c.train_step();
    CHECK(sa.rays == sb.rays);
    CHECK(sa.marched_samples == sb.marched_samples);
    CHECK(sa.used_samples == sb.used_samples);
    CHECK(sa.loss == sb.loss);
    CHECK(sa.used_samples <= sa.marched_samples);
  }
  CHECK(nerds_test::same_training_state(a.trainer(), b.trainer()));
  // A different seed gives a different run, so the comparison above can tell runs apart.
  CHECK_FALSE(nerds_test::same_bits(nerds::grid_of(a.trainer().network().encoding()).params(), nerds::grid_of(c.trainer().network().encoding()).params()));
  CHECK_FALSE(nerds_test::same_bits(a.trainer().network().color_mlp().weights(),
                                    c.trainer().network().color_mlp().weights()));
}

TEST_CASE("snapshot round trip: save -> load restores the model and renders the identical image") {
  nerds_test::TempFolder folder("snapshot");
  make_small_scene(folder.str());
  Engine engine(engine_options(folder.str()), small_params());
  for (int i = 0; i < 20; ++i) engine.train_step();  // two occupancy updates, Adam moments non-zero
  const std::string path = (folder.path() / "run.nerds").string();
  engine.save(path);
  const std::unique_ptr<Engine> loaded = Engine::load(path);
  REQUIRE(loaded);
  CHECK(loaded->stats().step == 20);
  CHECK(loaded->trainer().step_count() == 20);
  CHECK(nerds_test::same_training_state(engine.trainer(), loaded->trainer()));
  CHECK(loaded->trainer().occupancy().occupied_count() == engine.trainer().occupancy().occupied_count());
  CHECK(loaded->params().to_json() == engine.params().to_json());

  const nerds::Dataset test = engine.load_split("test");
  const float background[3] = {1.f, 0.5f, 0.f};
  for (size_t i = 0; i < test.frames.size(); i += 2) {
    const nerds::RenderBuffers a = engine.render(test.frames[i].pose, test.frames[i].intrinsics, background);
    const nerds::RenderBuffers b = loaded->render(test.frames[i].pose, test.frames[i].intrinsics, background);
    CAPTURE(i);
    CHECK(nerds_test::same_bits(a.rgb, b.rgb));
    CHECK(nerds_test::same_bits(a.depth, b.depth));
    CHECK(nerds_test::same_bits(a.opacity, b.opacity));
    CHECK(a.samples == b.samples);
  }
  // The rendering is of a trained model (not two empty scenes that agree trivially).
  const nerds::RenderBuffers r = engine.render(test.frames[0].pose, test.frames[0].intrinsics, background);
  double opacity = 0.0;
  for (float o : r.opacity) opacity += o;
  CHECK(opacity / static_cast<double>(r.opacity.size()) > 0.05);
}

TEST_CASE("snapshot resume: training continued after load matches uninterrupted training") {
  // A snapshot carries the step, the Adam moments and the running mean of used samples per
  // ray precisely so that a resumed run takes the same steps as an uninterrupted one (the
  // trainer is deterministic for a seed and step, see the test above).
  nerds_test::TempFolder folder("resume");
  make_small_scene(folder.str());
  Engine engine(engine_options(folder.str()), small_params());
  for (int i = 0; i < 20; ++i) engine.train_step();
  const std::string path = (folder.path() / "run.nerds").string();
  engine.save(path);
  const std::unique_ptr<Engine> loaded = Engine::load(path);
  REQUIRE(loaded);
  for (int i = 0; i < 3; ++i) {
    const StepStats a = engine.train_step();
    const StepStats b = loaded->train_step();
    CAPTURE(a.step);
    CHECK(a.rays == b.rays);
    CHECK(a.marched_samples == b.marched_samples);
    CHECK(a.loss == b.loss);
  }
  CHECK(nerds_test::same_training_state(engine.trainer(), loaded->trainer()));
}

TEST_CASE(
    "training smoke: every position encoding (hash, NeRF frequencies, none, Mip-NeRF IPE) trains and lowers the loss") {
  nerds_test::TempFolder folder("encodings");
  make_small_scene(folder.str());
  for (const char* kind : {"hash", "frequency", "none", "ipe"}) {
    ParamSet p = small_params();
    p.set_from_string(std::string("encoding.kind=") + kind);
    Engine engine(engine_options(folder.str()), p);
    double first = 0.0, last = 0.0;
    for (int i = 0; i < 60; ++i) {
      const StepStats s = engine.train_step();
      if (i < 5) first += s.loss / 5;
      if (i >= 55) last += s.loss / 5;
    }
    MESSAGE("encoding.kind=" << std::string(kind) << ": mean loss of steps 1-5 " << first << ", of steps 56-60 " << last);
    CHECK(std::isfinite(last));
    CHECK(last < 0.85 * first);  // measured: hash 0.51, frequency 0.48, none 0.72, ipe 0.48 of the first loss
  }
}

TEST_CASE("training smoke: each step reports the batch's mean squared error, the L2 loss itself, any loss") {
  nerds_test::TempFolder folder("smoke_mse");
  make_small_scene(folder.str());
  for (const char* loss : {"l2", "huber"}) {
    CAPTURE(loss);
    ParamSet p = small_params();
    p.set("trainer.loss", std::string(loss));
    Engine engine(engine_options(folder.str()), p);
    for (int i = 0; i < 5; ++i) {
      const StepStats s = engine.train_step();
      REQUIRE(std::isfinite(s.mse));
      CHECK(s.mse > 0.0);
      CHECK(s.mse <= 1.0);  // colors in [0,1]
      CHECK(engine.stats().last_mse == s.mse);
      if (std::string(loss) == "l2") CHECK(s.mse == doctest::Approx(s.loss).epsilon(1e-6));
      // Huber (delta 0.1): 0.5 r^2 / delta within delta, so the loss is 5 r^2 where every error is small.
      if (std::string(loss) == "huber") CHECK(s.loss <= 5.0 * s.mse * (1.0 + 1e-6));
    }
  }
}
