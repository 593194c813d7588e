// Training that computes nothing or NaN stops with a TrainingFailure naming the likely cause
// (renderer/train/training_watch.h); optimizer settings where Adam divides by zero are refused
// by name (trainer_module.cpp); a model holding NaN is neither saved over a good snapshot nor
// loaded (non_finite_scan.h).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/train/snapshot_file.h"
#include "renderer/train/trainer.h"
#include "renderer/train/training_watch.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/input_errors.h"
#include "tests/test_support/small_scene.h"

namespace fs = std::filesystem;
using nerds_test::check_mentions;

namespace {

nerds::StepStats step_with(int step, double loss, int64_t used) {
  nerds::StepStats s;
  s.step = step;
  s.rays = 16;
  s.loss = loss;
  s.used_samples = s.marched_samples = used;
  return s;
}

// The message of the TrainingFailure `f` throws, or a note that it threw none.
template <class F>
std::string failure_of(F&& f) {
  try {
    f();
  } catch (const nerds::TrainingFailure& e) {
    return e.what();
  }
  return "(no TrainingFailure thrown)";
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

nerds::ParamSet tiny_params(double lr = 1e-2) {
  nerds::ParamSet p = nerds::default_method_params();
  p.set("encoding.log2_table_size", int64_t{14});
  p.set("trainer.batch_samples", int64_t{4096});
  p.set("trainer.lr", lr);
  return p;
}

// An engine on a 16x16 sample scene made in `tmp` (4 training views).
std::unique_ptr<nerds::Engine> tiny_engine(const nerds_test::TempFolder& tmp, const nerds::ParamSet& params) {
  const std::string scene = (tmp.path() / "scene").string();
  nerds_test::make_small_scene("default", scene, 16, 4, 2);
  nerds::EngineOptions options;
  options.data_dir = scene;
  return std::make_unique<nerds::Engine>(options, params);
}

}  // namespace

TEST_CASE("training watch: a non-finite loss stops at once, naming the step and the optimizer settings") {
  const nerds::OptimizerConfig o;
  const auto never = [] { return size_t{1}; };
  nerds::TrainingWatch watch;
  CHECK_NOTHROW(watch.after_step(step_with(1, 0.5, 100), 0.01f, o, true, never));
  const std::string nan = failure_of(
      [&] { watch.after_step(step_with(7, std::numeric_limits<double>::quiet_NaN(), 100), 0.01f, o, true, never); });
  check_mentions(nan, {"step 7", "loss is NaN", "trainer.lr 0.01", "trainer.beta1 0.9", "diverged"});
  const std::string inf = failure_of(
      [&] { watch.after_step(step_with(8, std::numeric_limits<double>::infinity(), 100), 0.01f, o, true, never); });
  check_mentions(inf, {"step 8", "loss is inf"});
}

TEST_CASE("training watch: 50 steps in a row without a sample stop the run, naming why no ray was used") {
  const nerds::OptimizerConfig o;
  size_t occupied = 10;
  const auto cells = [&] { return occupied; };
  nerds::TrainingWatch watch;
  int step = 0;
  for (int i = 0; i < nerds::kMaxStepsWithoutSamples - 1; ++i) CHECK_NOTHROW(watch.after_step(step_with(++step, 0.1, 0), 0.01f, o, true, cells));
  // A step with samples starts the count again.
  CHECK_NOTHROW(watch.after_step(step_with(++step, 0.1, 5), 0.01f, o, true, cells));
  for (int i = 0; i < nerds::kMaxStepsWithoutSamples - 1; ++i) CHECK_NOTHROW(watch.after_step(step_with(++step, 0.1, 0), 0.01f, o, true, cells));
  const std::string box = failure_of([&] { watch.after_step(step_with(++step, 0.1, 0), 0.01f, o, true, cells); });
  check_mentions(box, {"step " + std::to_string(step), "50 steps", "scene box", "aabb_scale"});
  // With an empty occupancy grid, the density collapsed.
  occupied = 0;
  nerds::TrainingWatch empty_grid;
  for (int i = 1; i < nerds::kMaxStepsWithoutSamples; ++i) empty_grid.after_step(step_with(i, 0.1, 0), 0.01f, o, true, cells);
  check_mentions(failure_of([&] { empty_grid.after_step(step_with(50, 0.1, 0), 0.01f, o, true, cells); }),
                 {"occupancy grid is empty", "trainer.lr"});
}

TEST_CASE("optimizer settings where Adam divides by zero or runs backwards are refused by parameter name") {
  for (const char* bad : {"trainer.beta1=1", "trainer.beta2=1", "trainer.beta1=0.99999999999", "trainer.beta2=1.5",
                          "trainer.beta1=-0.1", "trainer.eps=0", "trainer.eps=-1e-8", "trainer.lr=-1",
                          "trainer.lr=1e30", "trainer.lr=nan", "trainer.lr=inf"}) {
    CAPTURE(bad);
    nerds::ParamSet p = nerds::default_method_params();
    const std::string path = std::string(bad).substr(0, std::string(bad).find('='));
    std::string message = "(no InputError thrown)";
    try {
      p.set_from_string(bad);
    } catch (const nerds::InputError& e) {
      message = e.what();
    }
    check_mentions(message, {path});
  }
  // The values of the methods in scenes/methods stay valid; lr = 0 freezes the model.
  nerds::ParamSet p = nerds::default_method_params();
  for (const char* good : {"trainer.beta2=0.999", "trainer.beta1=0", "trainer.eps=1e-7", "trainer.lr=0.0005", "trainer.lr=10",
                           "trainer.lr=0"})
    CHECK_NOTHROW(p.set_from_string(good));
}

TEST_CASE("a model holding NaN stops training, is never saved over a good snapshot, and is not loaded") {
  nerds_test::TempFolder tmp("nan_model");
  const std::unique_ptr<nerds::Engine> owned = tiny_engine(tmp, tiny_params());
  nerds::Engine& engine = *owned;
  for (int i = 0; i < 3; ++i) engine.train_step();
  const fs::path good = tmp.path() / "good.nerds";
  engine.save(good.string());
  const std::string good_bytes = read_bytes(good);

  // The CPU backend trains the host copy in place: poison every weight of the last tensor
  // (an MLP layer every sample goes through), as a diverged optimizer would.
  const std::vector<nerds::ParamTensor> tensors = engine.trainer().param_tensors();
  const nerds::ParamTensor& last = tensors.back();
  for (size_t i = 0; i < last.size(); ++i) last.values[i] = std::numeric_limits<float>::quiet_NaN();

  check_mentions(failure_of([&] { engine.save(good.string()); }),
                 {good.string(), last.name, "not saved", "NaN or infinite", "left as it was"});
  CHECK(read_bytes(good) == good_bytes);  // the good snapshot is untouched
  CHECK_FALSE(fs::exists(good.string() + ".tmp"));
  check_mentions(failure_of([&] { engine.train_step(); }), {"step 4", "loss is NaN"});

  // A snapshot with one NaN weight (as an older build could write): loading names the file and tensor.
  nerds::SnapshotContents contents = nerds::read_snapshot_file(good.string());
  const std::string first = contents.meta["tensors"][0]["name"];
  for (nerds::SnapshotSection& s : contents.sections)
    if (s.name == first) {
      const float nan = std::numeric_limits<float>::quiet_NaN();
      std::memcpy(s.bytes.data() + 4 * 5, &nan, sizeof nan);
    }
  const fs::path poisoned = tmp.path() / "poisoned.nerds";
  nerds::write_snapshot_file(poisoned.string(), contents.meta, contents.sections);
  check_mentions(failure_of([&] { nerds::Engine::load(poisoned.string()); }),
                 {poisoned.string(), first, "1 of its", "index 5", "diverged"});
  CHECK_NOTHROW(nerds::Engine::load(good.string()));
}

TEST_CASE("a learning rate of 0 freezes the model under a budget schedule, without NaN") {
  nerds_test::TempFolder tmp("frozen_model");
  const std::unique_ptr<nerds::Engine> owned = tiny_engine(tmp, tiny_params(0.0));
  nerds::Engine& engine = *owned;
  const std::vector<nerds::PackedTensor> before = engine.param_tensors(true);
  engine.set_budget(0.0, 4);  // past budget_decay_from (0.3) after 2 steps: lr * (final / lr)^f
  for (int i = 0; i < 4; ++i) {
    const nerds::StepStats s = engine.train_step();
    CHECK(std::isfinite(s.loss));
    CHECK(engine.current_lr() == 0.f);
  }
  const std::vector<nerds::PackedTensor> after = engine.param_tensors(true);
  REQUIRE(after.size() == before.size());
  for (size_t i = 0; i < after.size(); ++i) CHECK(after[i].values == before[i].values);
  CHECK_NOTHROW(engine.save((tmp.path() / "frozen.nerds").string()));
}
