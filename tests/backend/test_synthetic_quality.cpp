// Quality regression on real data: NeRF-synthetic "lego" at 100x100 (../shared/datasets,
// not part of the project; skipped where absent), trained with the paper's parameters for a
// fixed number of steps and scored on every 10th test view on white, as NeRF papers report.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "renderer/engine.h"
#include "renderer/techniques/core/modules.h"
#include "tests/test_support/engine_eval.h"

namespace {
int steps_from_env(int fallback) {
  const char* s = std::getenv("NERDS_LEGO_STEPS");
  return s ? std::atoi(s) : fallback;
}
}  // namespace

TEST_CASE("lego_100 quality: paper parameters, fixed steps, PSNR floor on every 10th test view") {
  const std::string dir = std::string(NERDS_SHARED_DATASETS) + "/lego_100";
  if (!std::filesystem::exists(dir + "/transforms_train.json")) {
    MESSAGE("skipped: " << dir << " is absent");
    return;
  }
  // 600 steps of the default 2^15 samples (the samples of 300 steps before issue 14 halved the
  // batch), plus ~1 s of evaluation. NERDS_LEGO_STEPS overrides it for experiments; the floor
  // below is for the default only.
  const int default_steps = 600;
  const int steps = steps_from_env(default_steps);
  nerds::EngineOptions options;
  options.data_dir = dir;
  const auto start = std::chrono::steady_clock::now();
  nerds::Engine engine(options, nerds::default_method_params());
  double loss = 0.0;
  for (int i = 0; i < steps; ++i) loss = engine.train_step().loss;
  const double train_seconds = nerds_test::seconds_since(start);
  const nerds::Dataset test = engine.load_split("test");
  const auto eval_start = std::chrono::steady_clock::now();
  const nerds_test::SplitScore score = nerds_test::score_split(engine, test, 10);
  MESSAGE("lego_100: " << steps << " steps in " << train_seconds << " s, final loss " << loss << "; PSNR "
                       << score.mean_psnr << " dB over " << score.views << " test views (min " << score.min_psnr
                       << ") in " << nerds_test::seconds_since(eval_start) << " s");
  CHECK(score.views == 20);
  CHECK(engine.stats().used_samples <= engine.stats().marched_samples);
  // Measured at 600 steps (2 cores, AVX-512 build, deterministic for the seed): 28.31 dB mean,
  // 24.27 dB worst view (issue 14's recipe; the recipe before reached 26.13 dB with the same
  // samples). The floor is 1.4 dB below, for other CPUs' rounding of the same run.
  if (steps == default_steps) CHECK(score.mean_psnr >= 26.9);
}
