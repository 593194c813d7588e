// Compare mode without a window: the plan and the scene both arms train on (made once, the
// multiscale scene's multires/ folder), each arm's setup, the workers' share of the threads,
// the difference view's pixels, and a card's guided step applied to the viewer's state.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "renderer/error.h"
#include "tests/data/temp_folder.h"
#include "viewer/core/compare_difference.h"
#include "viewer/core/compare_mode.h"
#include "viewer/core/engine_worker.h"
#include "viewer/core/guided_step_view.h"

using namespace nerds;
using namespace nerds::viewer;
namespace fs = std::filesystem;

TEST_CASE("compare mode: a card's toggle makes its scene once and gives the arms off and on") {
  nerds_test::TempFolder folder("compare_mode");
  CompareRequest request;
  request.paper = "mip-nerf";
  scenes::SceneOptions options;
  options.resolution = 16;
  options.train_views = 4;
  options.val_views = 0;
  options.test_views = 1;
  options.samples_per_pixel = 1;
  const std::string dir = folder.str() + "/scene";
  const CompareMode m = prepare_compare(request, dir, options, Session{});
  CHECK(m.plan.scene == "multiscale");
  CHECK(fs::path(m.data_dir).filename() == "multires");  // every view at 1/1 to 1/8 size
  const EngineSetup a = arm_setup(m, m.plan.a), b = arm_setup(m, m.plan.b);
  CHECK(a.data_dir == m.data_dir);
  CHECK(a.params.get_string("encoding.kind") == "frequency");
  CHECK(b.params.get_string("encoding.kind") == "ipe");
  CHECK(arm_title(m, 0).rfind("A off: encoding.kind=frequency", 0) == 0);
  CHECK(arm_title(m, 1).rfind("B on: encoding.kind=ipe", 0) == 0);
  // Cached: a second plan finds the scene made and does not make it again.
  const auto made = fs::last_write_time(fs::path(dir) / "transforms_train.json");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const CompareMode again = prepare_compare(request, dir, options, Session{});
  CHECK(again.data_dir == m.data_dir);
  CHECK(fs::last_write_time(fs::path(dir) / "transforms_train.json") == made);

  CompareRequest bad = request;
  bad.toggle = "encoding.levels";
  CHECK_THROWS_AS(prepare_compare(bad, dir, options, Session{}), InputError);
}

TEST_CASE("compare mode: a worker keeps to its share of the threads") {
  WorkerSettings s;
  s.max_threads = 1;
  EngineWorker w(s);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (w.state().train_threads == 0 && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  CHECK(w.state().train_threads == 1);
}

TEST_CASE("compare mode: the difference view") {
  ColorImage a, b;
  a.width = b.width = 2;
  a.height = b.height = 1;
  a.rgba = {10, 20, 30, 255, 200, 200, 200, 255};
  b.rgba = {10, 20, 30, 255, 100, 200, 200, 255};
  const DifferenceImage d = difference_image(a, b);
  REQUIRE(d.image.rgba.size() == 8);
  CHECK(d.span == doctest::Approx(100.f / (3.f * 255.f)));
  CHECK(d.mean == doctest::Approx(0.5f * 100.f / (3.f * 255.f)));
  uint8_t low[3], high[3];
  turbo(0.f, low);
  turbo(1.f, high);
  CHECK(d.image.rgba[0] == low[0]);                                    // no difference: the bottom of the colour map
  CHECK(d.image.rgba[4] == high[0]);                                   // the largest: its top
  CHECK(difference_image(a, a).span == doctest::Approx(1.f / 255.f));  // equal images stay dark
  b.width = 1;
  CHECK(difference_image(a, b).image.rgba.empty());  // sizes differ: nothing to show yet
}

TEST_CASE("compare mode: a guided step sets the camera, mode, rays and shown arm") {
  auto views = [](const std::string& split, int n) {
    auto d = std::make_shared<Dataset>();
    d->split = split;
    for (int i = 0; i < n; ++i) {
      Frame f;
      f.intrinsics.width = 20 + i;
      f.intrinsics.height = 10;
      f.intrinsics.fx = f.intrinsics.fy = 20.f;
      f.intrinsics.cx = 10.f;
      f.intrinsics.cy = 5.f;
      d->frames.push_back(f);
    }
    return d;
  };
  SceneInfo scene;
  scene.train = views("train", 3);
  scene.test = views("test", 2);
  GuidedStep step;
  step.text = "look";
  step.camera = GuidedStepCamera{"test", 1, {}};
  step.mode = "error";
  step.rays = {{{4, 5}}};
  step.toggle = GuidedStepToggle{"trainer.area_loss", "on", 1};
  GuidedStep second;
  second.text = "nothing else";
  const std::vector<GuidedStep> steps = {step, second};
  ComparePlan plan;
  plan.toggle_index = 0;

  ViewerState state;
  state.picks[1].active = true;
  GuidedStepEffect e = apply_guided_step(state, scene, steps, 0, plan, 640.f);
  CHECK(state.guided_step == 0);
  CHECK(state.view.dataset_view == DatasetView{"test", 1});
  CHECK(state.view.mode == RenderMode::Error);
  CHECK(e.picks_changed);
  CHECK(state.picks[0].active);
  CHECK(state.picks[0].u == doctest::Approx(4.5f / 21.f));
  CHECK(state.picks[0].v == doctest::Approx(5.5f / 10.f));
  CHECK_FALSE(state.picks[1].active);      // a step's rays replace the picked ones
  CHECK(e.toggle == "trainer.area_loss");  // another toggle than the plan's: re-plan
  CHECK(state.compare.layout == CompareLayout::Split);
  CHECK(state.compare.split == 0.f);  // "on": arm B whole
  CHECK(e.note.empty());

  // A step that sets nothing leaves the view as it is.
  e = apply_guided_step(state, scene, steps, 1, plan, 640.f);
  CHECK(state.guided_step == 1);
  CHECK(state.view.dataset_view == DatasetView{"test", 1});
  CHECK(state.view.mode == RenderMode::Error);
  CHECK_FALSE(e.picks_changed);
  CHECK(e.toggle.empty());

  // A view the data has not: said, the camera unchanged.
  GuidedStep far = step;
  far.camera = GuidedStepCamera{"test", 7, {}};
  e = apply_guided_step(state, scene, {far}, 0, plan, 640.f);
  CHECK(e.note.find("no test view 7") != std::string::npos);
  CHECK(state.view.dataset_view == DatasetView{"test", 1});
}

TEST_CASE("compare mode: a compare session saves and reopens") {
  Session s;
  s.data_dir = "/data/scene/multires";
  s.step = 120;
  s.snapshot = "/runs/look.nerds";
  SessionCompare c;
  c.request.paper = "mip-nerf";
  c.request.toggle = "trainer.area_loss";
  c.request.shared.sets = {"trainer.batch_samples=4096"};
  c.view.layout = CompareLayout::Split;
  c.view.split = 0.25f;
  c.guided_step = 2;
  c.step_b = 118;
  c.snapshot_b = "look-b.nerds";
  s.compare = c;
  const nlohmann::json j = session_to_json(s);
  CHECK(j["compare"]["guided_step"] == 3);  // 1-based in the file
  const Session back = session_from_json(j, "look.json", "/runs");
  REQUIRE(back.compare);
  const SessionCompare& b = *back.compare;
  CHECK(b.request.paper == "mip-nerf");
  CHECK(b.request.toggle == "trainer.area_loss");
  CHECK(b.request.shared.sets == c.request.shared.sets);
  CHECK(b.view.layout == CompareLayout::Split);
  CHECK(b.view.split == 0.25f);
  CHECK(b.guided_step == 2);
  CHECK(b.step_b == 118);
  CHECK(b.snapshot_b == "/runs/look-b.nerds");  // beside the session file
  CHECK(back.step == 120);

  // Reopened: the same arms, over the session's data.
  const CompareMode m = compare_from_session(back);
  CHECK(m.data_dir == s.data_dir);
  CHECK(m.guided_step == 2);
  CHECK(m.plan.a.params.get_bool("trainer.area_loss") == false);
  CHECK(m.plan.b.params.get_bool("trainer.area_loss") == true);

  nlohmann::json bad = j;
  bad["compare"]["layout"] = "stacked";
  CHECK_THROWS_WITH_AS(session_from_json(bad, "look.json", "/runs"), doctest::Contains("compare.layout"), InputError);
  bad = j;
  bad["compare"]["request"]["colour"] = 1;
  CHECK_THROWS_AS(session_from_json(bad, "look.json", "/runs"), InputError);
}
