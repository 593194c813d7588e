// Training through the public Engine with the two network options of the Instant-NGP and
// NeRF papers: Instant-NGP's multiresolution dense grid (encoding.kind=dense, Müller et al.
// 2022, Fig. 2/3) and NeRF's 8x256 MLP with its skip connection (Mildenhall et al. 2020,
// supplement Fig. 7). Each lowers the loss in a few steps on a tiny scene, and a snapshot of
// both (a dense table, a skip layer's wider weight) restores the exact model.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/techniques/core/modules.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/engine_eval.h"
#include "tests/test_support/small_scene.h"
#include "tests/test_support/small_engine.h"

using nerds::Engine;
using nerds::ParamSet;

namespace {

using nerds_test::engine_options;
using nerds_test::default_params_with;

// The default scene at 32x32: 20 training views, 1 test view (a few hundred ms to make).
void make_tiny_scene(const std::string& dir) { nerds_test::make_small_scene("default", dir, 32, 20, 1, 2); }



// The dense grid as the paper's ablation trains it: everything else at the defaults, except a
// coarse 32^3 occupancy grid (its warm-up updates cost little) so that 60 steps fit in a few
// seconds, and 16k samples per step (about 50 rays while the occupancy grid is warming up).
const std::vector<std::string> kDenseGrid = {"encoding.kind=dense", "trainer.batch_samples=16384",
                                             "occupancy.resolution=32", "occupancy.warmup_steps=32"};

// NeRF's network (8 ReLU layers of 256, the input joining the 5th, sigma + a 256-wide
// feature, one 128-wide color layer) on NeRF's positional encoding (4 frequencies: a 32 px
// scene has nothing finer), without the occupancy grid (NeRF has none; its warm-up would
// evaluate the big MLP on every cell). 64 march steps across the box and 1536 samples give
// about 20 rays per step (~0.15 s per step on 2 cores); a white background, so that the
// loss of 20 rays is not dominated by random backgrounds.
const std::vector<std::string> kNerfMlp = {
    "encoding.kind=frequency", "encoding.frequencies=4",     "field.density_layers=8",   "field.density_hidden=256",
    "field.skip_layer=4",      "field.geo_features=257",     "field.color_layers=1",     "field.color_hidden=128",
    "trainer.lr=0.002",        "trainer.batch_samples=1536", "trainer.background=white", "occupancy.enabled=false",
    "march.steps=64"};

// Mean loss of the first and the last `window` of `steps` steps.
void train_and_compare(Engine& engine, int steps, int window, double* first, double* last) {
  *first = *last = 0.0;
  for (int i = 0; i < steps; ++i) {
    const nerds::StepStats s = engine.train_step();
    REQUIRE(std::isfinite(s.loss));
    if (i < window) *first += s.loss / window;
    if (i >= steps - window) *last += s.loss / window;
  }
}

}  // namespace

TEST_CASE("network options: Instant-NGP's dense grid trains like the hash grid and lowers the loss") {
  nerds_test::TempFolder folder("dense_grid");
  make_tiny_scene(folder.str());
  const auto start = std::chrono::steady_clock::now();
  Engine engine(engine_options(folder.str()), default_params_with(kDenseGrid));
  CHECK(engine.trainer().network().encoding_is_trained());
  double first = 0.0, last = 0.0;
  train_and_compare(engine, 60, 10, &first, &last);
  MESSAGE("encoding.kind=dense: mean loss of steps 1-10 " << first << ", of steps 51-60 " << last << "; "
                                                          << nerds_test::seconds_since(start) << " s");
  // Measured (2 cores): ratios 0.62-0.65 over seeds 1-2 (the hash grid: about the same).
  CHECK(last < 0.8 * first);
}

TEST_CASE("network options: NeRF's 8x256 MLP with its skip connection lowers the loss") {
  nerds_test::TempFolder folder("nerf_mlp");
  make_tiny_scene(folder.str());
  const auto start = std::chrono::steady_clock::now();
  Engine engine(engine_options(folder.str()), default_params_with(kNerfMlp));
  const nerds::Mlp& trunk = engine.trainer().network().density_mlp();
  REQUIRE(trunk.weights().size() == 9u);
  CHECK(trunk.weights()[4].cols() == 27 + 256);  // [gamma(x), h_4]: 3 + 2 * 3 * 4 encoded inputs
  double first = 0.0, last = 0.0;
  train_and_compare(engine, 30, 10, &first, &last);
  MESSAGE("NeRF MLP: mean loss of steps 1-10 " << first << ", of steps 21-30 " << last << "; "
                                               << nerds_test::seconds_since(start) << " s");
  // Measured (2 cores): ratios 0.47-0.64 over seeds 1-2.
  CHECK(last < 0.85 * first);
}

TEST_CASE("network options: a snapshot of a dense grid with a skip MLP restores the exact model") {
  nerds_test::TempFolder folder("options_snapshot");
  make_tiny_scene(folder.str());
  const ParamSet p = default_params_with({"encoding.kind=dense", "encoding.dense_max_resolution=48", "field.density_layers=3",
                                  "field.skip_layer=2", "trainer.batch_samples=2048", "occupancy.resolution=32"});
  Engine engine(engine_options(folder.str()), p);
  for (int i = 0; i < 5; ++i) engine.train_step();
  const std::string path = (folder.path() / "run.nerds").string();
  engine.save(path);
  const std::unique_ptr<Engine> loaded = Engine::load(path);
  REQUIRE(loaded);
  CHECK(loaded->trainer().network().density_mlp().config().skip_layer == 2);
  CHECK(loaded->trainer().network().config().encoding == nerds::kDenseEncoding);
  CHECK(nerds_test::same_training_state(engine.trainer(), loaded->trainer()));
  const nerds::StepStats a = engine.train_step(), b = loaded->train_step();
  CHECK(a.loss == b.loss);
}
