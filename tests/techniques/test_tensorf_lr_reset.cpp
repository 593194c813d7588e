// TensoRF's optimizer restart at each upsampling (the official code's train.py builds a new
// Adam at lr_init with lr_upsample_reset = 1; renderer/model/optimizer_restart.h): the rate
// after an upsampling is the initial one times the decay since the upsampling, and Adam's
// moments and step count start again; a snapshot keeps the restart, so a run resumed after an
// upsampling goes on as the uninterrupted one.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/model/optimizer_restart.h"
#include "renderer/techniques/tensorf/tensorf_encoding.h"
#include "renderer/train/trainer.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/engine_eval.h"
#include "tests/test_support/small_engine.h"

using namespace nerds;

TEST_CASE("optimizer restart: the rate after an upsampling decays from the initial rate since the upsampling") {
  // The budget schedule lr0 r^(s / N) over N steps, TensoRF's schedule upsampling at a
  // quarter and at half of the run.
  const int N = 40;
  const float lr0 = 0.02f, r = 0.1f;
  const auto schedule = [&](int s) { return lr0 * std::pow(r, static_cast<float>(s) / N); };
  for (bool on : {true, false}) {
    CAPTURE(on);
    TensorfConfig c;
    c.resolution_init = 4;
    c.resolution_final = 6;
    c.density_components = c.appearance_components = 1;
    c.appearance_features = 1;
    c.upsample_at = {0.25f, 0.5f};
    c.lr_upsample_reset = c.optimizer_upsample_reset = on;
    TensorfEncoding e(c);
    RestartState restarts;
    int last_upsampling = 0;
    for (int s = 0; s < N; ++s) {
      if (e.follow_schedule(static_cast<float>(s) / N)) {
        restarts.restart(e.schedule_restart(), s, schedule(s));
        last_upsampling = s;
      }
      const float used = restarts.lr(schedule(s), lr0);
      // On: the initial rate times the decay since the last upsampling (steps 10 and 20);
      // off: the run's decay since step 0.
      const float expected = on ? lr0 * std::pow(r, static_cast<float>(s - last_upsampling) / N) : schedule(s);
      CHECK(used == doctest::Approx(expected).epsilon(1e-5));
      CHECK(restarts.adam_step(s) == (on ? s - last_upsampling + 1 : s + 1));
    }
    CHECK(last_upsampling == N / 2);
    CHECK(e.resolution() == 6);
  }
  // A frozen schedule (rate 0) stays frozen; no restart leaves the rate as it is.
  CHECK(restarted_lr(0.f, 0.01f, 0.005f) == 0.f);
  CHECK(restarted_lr(0.003f, 0.01f, 0.f) == 0.003f);
}

namespace {

// A tiny TensoRF run of 8 steps, upsampled from 5 to 9 nodes at step 2 (a quarter of the run),
// its rate 0.01 * 0.1^(s / 8) over the budget; `more` adds settings.
std::vector<std::string> tiny_tensorf_run(const std::vector<std::string>& more = {}) {
  std::vector<std::string> sets = {
      "encoding.kind=tensorf", "field.density=encoding", "field.density_activation=softplus",
      "field.density_shift=-10", "field.density_scale=75", "field.color_hidden=16",
      "encoding.tensorf_resolution_init=5", "encoding.tensorf_resolution_final=9",
      "encoding.tensorf_upsample_steps=2", "encoding.tensorf_schedule_steps=8",
      "encoding.tensorf_density_components=2", "encoding.tensorf_appearance_components=2",
      "encoding.tensorf_appearance_features=4", "trainer.lr=0.01", "trainer.budget_decay_from=0",
      "trainer.budget_lr_final=0.001"};
  sets.insert(sets.end(), more.begin(), more.end());
  return sets;
}

}  // namespace

TEST_CASE("tensorf: the step after an upsampling moves the grids at the initial rate (the code's new Adam)") {
  // Adam's first step from zero moments moves every entry with a gradient by the rate times
  // its gradient's sign: the largest change of a resampled factor is the rate that step used.
  // The run: 8 steps, upsampled from 5 to 9 nodes at step 2 (a quarter of the run); the
  // schedule 0.01 * 0.1^(s / 8); the factors at 20 times it (tensorf_lr_factor).
  const float lr0 = 0.01f, factor = 20.f;
  const float lr_step2 = lr0 * std::pow(0.1f, 2.f / 8.f);
  struct Arm {
    bool lr_reset, optimizer_reset;
    float rate;
  };
  // The old behaviour (both off): the resized tensor's moments restart but Adam's bias
  // correction counts from step 0 (t = 3): m^ / sqrt(v^) = sqrt(1 - 0.99^3) / (1 - 0.9^3).
  const float old_correction = std::sqrt(1.f - std::pow(0.99f, 3.f)) / (1.f - std::pow(0.9f, 3.f));
  const Arm arms[] = {{true, true, factor * lr0},
                      {false, true, factor * lr_step2},
                      {false, false, factor * lr_step2 * old_correction}};
  for (const Arm& arm : arms) {
    CAPTURE(arm.lr_reset);
    CAPTURE(arm.optimizer_reset);
    nerds_test::TempFolder dir("tensorf_lr_reset");
    const auto on = [](bool b) { return std::string(b ? "true" : "false"); };
    auto engine = nerds_test::small_engine(
        dir.str(), tiny_tensorf_run({"trainer.mlp_l2_reg=0", "encoding.tensorf_lr_upsample_reset=" + on(arm.lr_reset),
                          "encoding.tensorf_optimizer_upsample_reset=" + on(arm.optimizer_reset)}),
        16, 4);
    engine->set_budget(0.0, 8);
    engine->train_step();
    engine->train_step();
    const auto& trained = dynamic_cast<const TensorfEncoding&>(engine->trainer().network().encoding());
    REQUIRE(trained.resolution() == 5);
    TensorfEncoding expected = trained;
    expected.resize(9);  // what step 2's upsampling starts from
    engine->train_step();
    REQUIRE(trained.resolution() == 9);
    const auto lines = [](TensorfEncoding& e) {
      for (const ParamTensor& t : e.param_tensors())
        if (t.name == "encoding.density_lines") return std::vector<float>(t.values, t.values + t.size());
      return std::vector<float>();
    };
    TensorfEncoding after = trained;
    const std::vector<float> a = lines(after), b = lines(expected);
    REQUIRE(a.size() == b.size());
    REQUIRE(!a.empty());
    float largest = 0.f;
    for (size_t k = 0; k < a.size(); ++k) largest = std::max(largest, std::fabs(a[k] - b[k]));
    CHECK(largest == doctest::Approx(arm.rate).epsilon(1e-3));
  }
}

TEST_CASE("tensorf: a run resumed from a snapshot after an upsampling steps as the uninterrupted one") {
  // Before the snapshot kept the restart, the resumed run went back to the schedule's rate and
  // counted Adam's bias correction from step 0: its losses parted from the second step after
  // the resume, its tensors from the first.
  nerds_test::TempFolder dir("tensorf_resume");
  auto engine = nerds_test::small_engine(dir.str(), tiny_tensorf_run(), 16, 4);
  engine->set_budget(0.0, 8);
  for (int i = 0; i < 5; ++i) engine->train_step();  // the upsampling (and restart) at step 2
  REQUIRE(dynamic_cast<const TensorfEncoding&>(engine->trainer().network().encoding()).resolution() == 9);
  const RestartState before = engine->trainer().backend().optimizer_restarts();
  REQUIRE(before.adam_from == 2);
  REQUIRE(before.lr_at_restart > 0.f);
  // The rate the viewer shows: the initial one times the decay since the restart, not the
  // schedule's. Engine::current_lr reads the budget's progress the last step (4) set: the decay
  // over its 2 steps since the restart, where the schedule alone gives 0.01 * 0.1^(4/8).
  CHECK(engine->current_lr() == doctest::Approx(0.01f * std::pow(0.1f, 2.f / 8.f)).epsilon(1e-4));
  CHECK(engine->trainer().current_lr() == doctest::Approx(0.01f * std::pow(0.1f, 4.f / 8.f)).epsilon(1e-4));
  const std::string path = dir.str() + "/run.nerds";
  engine->save(path);
  const std::unique_ptr<Engine> loaded = Engine::load(path);
  loaded->set_budget(0.0, 3);  // the 3 steps left of the 8 (a budget counts from where it is set)
  const RestartState after = loaded->trainer().backend().optimizer_restarts();
  CHECK(after.adam_from == before.adam_from);
  CHECK(after.lr_at_restart == before.lr_at_restart);
  for (int i = 0; i < 3; ++i) {
    const StepStats a = engine->train_step();
    const StepStats b = loaded->train_step();
    CAPTURE(a.step);
    CHECK(a.loss == b.loss);
  }
  CHECK(nerds_test::same_training_state(engine->trainer(), loaded->trainer()));
}
