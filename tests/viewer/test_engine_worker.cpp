// The engine's worker thread on a tiny generated scene: it opens the scene, renders the view
// progressively up to full size, steps, inspects a ray (kept up to date), and survives a
// reset with inconsistent parameters (the error is published; the running engine stays), and
// applies a training setting to the running model without a reset.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "renderer/techniques/core/modules.h"
#include "tests/data/temp_folder.h"
#include "tests/viewer/wait_for_worker.h"
#include "viewer/core/camera_controller.h"
#include "viewer/core/engine_worker.h"
#include "viewer/core/view_geometry.h"

using namespace nerds;
using namespace nerds::viewer;
using nerds_test::wait_for;

namespace {

EngineSetup tiny_setup(const std::string& dir) {
  EngineSetup e;
  e.data_dir = dir;
  e.make_scene = "default";
  e.scene_options.resolution = 24;
  e.scene_options.train_views = 8;
  e.scene_options.val_views = 0;
  e.scene_options.test_views = 2;
  e.scene_options.samples_per_pixel = 1;
  e.params = default_method_params();
  e.params.set("encoding.log2_table_size", int64_t{12});
  e.params.set("encoding.levels", int64_t{4});
  e.params.set("trainer.batch_samples", int64_t{2048});
  return e;
}

}  // namespace

TEST_CASE("engine worker: open, render progressively, step, inspect, reset") {
  nerds_test::TempFolder folder("worker");
  WorkerSettings settings;
  settings.coarse_rays_min = settings.coarse_rays_max = 64;  // several levels even for a small view
  EngineWorker w(settings);
  w.post(cmd::Open{tiny_setup(folder.str() + "/scene")});
  WorkerState s = wait_for(w, [](const WorkerState& s) { return s.ready || !s.error.empty(); });
  REQUIRE_MESSAGE(s.ready, s.error);
  REQUIRE(s.scene);
  CHECK(s.scene->train->frames.size() == 8);
  REQUIRE(s.scene->test);
  CHECK(s.scene->test->frames.size() == 2);
  CHECK(s.stats.step == 0);

  ViewRequest view;
  view.target.version = 1;
  view.target.pose = look_at(make_vec3(0.5f, -1.f, 0.9f), make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 0.f, 1.f));
  view.target.intrinsics = intrinsics_for_fov(40, 30, 50.f);
  w.set_view(view);
  s = wait_for(w, [](const WorkerState& s) { return s.image && s.image->finest; });
  REQUIRE(s.image);
  CHECK(s.image->finest);
  CHECK(s.image->view_version == 1);
  CHECK(s.image->intrinsics.width == 40);
  CHECK(s.image->buffers.rgb.size() == 3u * 40 * 30);
  CHECK(s.render_settled);

  w.post(cmd::StepOnce{});
  s = wait_for(w, [](const WorkerState& s) { return s.stats.step >= 1; });
  CHECK(s.stats.step == 1);
  CHECK_FALSE(s.training);
  REQUIRE(s.history.size() == 1);
  // The still view is re-rendered for the newer model.
  s = wait_for(w, [](const WorkerState& s) { return s.image && s.image->step == 1 && s.image->finest; });
  CHECK(s.image->step == 1);

  cmd::Inspect ray;
  ray.slot = 1;
  ray.pose = view.target.pose;
  ray.intrinsics = view.target.intrinsics;
  ray.px = 20.f;
  ray.py = 15.f;
  w.post(ray);
  s = wait_for(w, [](const WorkerState& s) { return s.inspect[1] != nullptr; });
  REQUIRE(s.inspect[1]);
  CHECK_FALSE(s.inspect[1]->samples.empty());  // the box center: every cell occupied at first
  CHECK(std::isfinite(s.inspect[1]->rgb[0]));
  CHECK(s.inspect[1]->opacity >= 0.f);
  CHECK(s.inspect[1]->opacity <= 1.f);

  w.post(cmd::TrainTo{3, false});
  s = wait_for(w, [](const WorkerState& s) { return s.stats.step >= 3 && s.train_to == 0; });
  CHECK(s.stats.step == 3);
  s = wait_for(w, [](const WorkerState& s) { return s.inspect[1] && s.inspect[1]->step == 3; });
  CHECK(s.inspect[1]->step == 3);  // re-inspected for the newer model

  ParamSet bad = s.scene->params;
  bad.set("encoding.base_resolution", int64_t{512});
  bad.set("encoding.max_resolution", int64_t{16});  // below the base: the engine refuses
  const uint64_t scene_version = s.scene_version;
  w.post(cmd::Reset{bad});
  s = wait_for(w, [](const WorkerState& s) { return !s.error.empty(); });
  CHECK(s.error.find("max_resolution") != std::string::npos);
  CHECK(s.scene_version == scene_version);
  CHECK(s.stats.step == 3);  // the old run is untouched

  // A training setting goes to the running model: the run keeps its steps.
  ParamSet live = s.scene->params;
  live.set("trainer.lr", 0.003);
  w.post(cmd::ApplyParams{live});
  s = wait_for(w, [&](const WorkerState& s) { return s.scene_version != scene_version; });
  CHECK(s.error.empty());
  CHECK(s.stats.step == 3);
  CHECK(s.scene->params.get_float("trainer.lr") == doctest::Approx(0.003));
  CHECK(s.notice.find("trainer.lr") != std::string::npos);
  // One that needs a new model is refused there, and nothing changes.
  ParamSet model = s.scene->params;
  model.set("encoding.levels", int64_t{3});
  const uint64_t live_version = s.scene_version;
  w.post(cmd::ApplyParams{model});
  s = wait_for(w, [](const WorkerState& s) { return !s.error.empty(); });
  CHECK(s.error.find("encoding.levels") != std::string::npos);
  CHECK(s.scene_version == live_version);
  CHECK(s.scene->params.get_int("encoding.levels") == 4);

  w.post(cmd::Reset{s.scene->params});
  s = wait_for(w, [&](const WorkerState& s) { return s.scene_version != live_version; });
  CHECK(s.stats.step == 0);
  CHECK(s.history.empty());
}

TEST_CASE("engine worker: a missing dataset is an error in the state, not a crash") {
  EngineWorker w;
  EngineSetup e;
  e.data_dir = "/nonexistent/nerds/dataset";
  e.params = default_method_params();
  w.post(cmd::Open{e});
  const WorkerState s = wait_for(w, [](const WorkerState& s) { return !s.error.empty(); });
  CHECK_FALSE(s.ready);
  CHECK(s.error.find("/nonexistent/nerds/dataset") != std::string::npos);
}

TEST_CASE("engine worker: while training steps interleave with a level's bands, every band shows one model state") {
  nerds_test::TempFolder folder("worker-bands");
  WorkerSettings settings;
  settings.band_seconds = 1e-6;  // bands of band_rays_min rays: 5 rows of the 80-pixel view
  settings.band_rays_min = 400;
  settings.camera_priority_seconds = 0.0;  // a training step after every band
  settings.refresh_seconds = 0.0;          // re-render the still view for each newer model
  settings.render_share = 1.0;
  EngineWorker w(settings);
  w.post(cmd::Open{tiny_setup(folder.str() + "/scene")});
  WorkerState s = wait_for(w, [](const WorkerState& s) { return s.ready || !s.error.empty(); });
  REQUIRE_MESSAGE(s.ready, s.error);
  ViewRequest view;
  view.target.version = 1;
  view.target.pose = look_at(make_vec3(0.5f, -1.f, 0.9f), make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 0.f, 1.f));
  view.target.intrinsics = intrinsics_for_fov(80, 60, 50.f);
  w.set_view(view);
  w.post(cmd::SetTraining{true});
  // Every image the worker publishes until two full-size ones were rendered while it trained.
  std::vector<std::shared_ptr<const RenderedImage>> seen;
  int interleaved_finest = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (interleaved_finest < 2 && std::chrono::steady_clock::now() < end) {
    s = w.state();
    REQUIRE_MESSAGE(s.error.empty(), s.error);
    if (s.image && (seen.empty() || seen.back() != s.image)) {
      seen.push_back(s.image);
      if (s.image->finest && s.image->end_step > s.image->start_step) ++interleaved_finest;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  w.post(cmd::SetTraining{false});
  REQUIRE(interleaved_finest == 2);  // training went on between the bands of a level
  for (const auto& img : seen) {
    CAPTURE(img->start_step);
    CAPTURE(img->end_step);
    REQUIRE_FALSE(img->band_steps.empty());
    for (int band_step : img->band_steps) CHECK(band_step == img->step);
    CHECK(img->step == img->start_step);  // the state when its first band was rendered
    if (img->finest) CHECK(img->band_steps.size() == 12u);  // 60 rows in bands of 5
  }
}

TEST_CASE("engine worker: a grid slice is published while asked for, and the step it shows") {
  nerds_test::TempFolder folder("worker-slice");
  EngineWorker w;
  w.post(cmd::Open{tiny_setup(folder.str() + "/scene")});
  WorkerState s = wait_for(w, [](const WorkerState& s) { return s.ready || !s.error.empty(); });
  REQUIRE_MESSAGE(s.ready, s.error);
  cmd::SliceGrid slice;
  slice.on = true;
  slice.level = 3;
  slice.axis = 0;
  slice.offset = 0.25f;
  slice.size = 20;
  w.post(slice);
  s = wait_for(w, [](const WorkerState& s) { return s.grid_slice != nullptr; });
  REQUIRE(s.grid_slice);
  CHECK(s.grid_slice->note.empty());
  CHECK(s.grid_slice->slice.level == 3);
  CHECK(s.grid_slice->slice.levels == 4);
  CHECK(s.grid_slice->slice.values.size() == 20u * 20u * 2u);
  CHECK(s.grid_slice->step == 0);
  w.post(cmd::StepOnce{});
  s = wait_for(w, [](const WorkerState& s) { return s.grid_slice && s.grid_slice->step == 1; });
  CHECK(s.grid_slice->step == 1);  // refreshed for the newer model
  slice.level = 9;  // no such level: said, not an error of the run
  w.post(slice);
  s = wait_for(w, [](const WorkerState& s) { return s.grid_slice && !s.grid_slice->note.empty(); });
  CHECK(s.grid_slice->note.find("level") != std::string::npos);
  CHECK(s.error.empty());
  slice.on = false;
  w.post(slice);
  s = wait_for(w, [](const WorkerState& s) { return s.grid_slice == nullptr; });
  CHECK(s.grid_slice == nullptr);
}
