// Session files: a full round trip, strict checking (unknown keys, wrong types and bad values
// are errors naming the file and the field), relative paths, and the command line's overrides.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"
#include "tests/data/temp_folder.h"
#include "viewer/core/session.h"
#include "viewer/core/session_capture.h"
#include "viewer/core/viewer_options.h"

using namespace nerds;
using namespace nerds::viewer;
using nlohmann::json;

namespace {

Session example_session() {
  Session s;
  s.data_dir = "/data/lego";
  s.downscale = 2;
  s.make_scene = "default";
  s.scene_options.resolution = 64;
  s.scene_options.train_views = 20;
  s.scene_options.test_views = 3;
  s.method_name = "instant_ngp";
  s.params = {{"encoding", {{"levels", 8}}}, {"trainer", {{"lr", 0.005}}}};
  s.step = 123;
  s.running = false;
  s.snapshot = "/runs/a.nerds";
  s.threads = 1;
  OrbitState c;
  c.target = make_vec3(0.4f, 0.5f, 0.6f);
  c.up = make_vec3(0.f, 1.f, 0.f);
  c.distance = 1.75f;
  c.yaw_deg = -33.f;
  c.pitch_deg = 12.5f;
  c.fov_deg = 40.f;
  s.camera = c;
  s.view.dataset_view = {"test", 4};
  s.view.mode = RenderMode::Samples;
  s.view.render_scale = 0.75f;
  s.view.background[1] = 0.f;
  s.view.overlays.occupancy = true;
  s.view.overlays.occupancy_resolution = 64;
  s.view.panels.technique = true;
  s.view.panels.training = false;
  s.view.appearance = {3, -1, 0.25f};
  s.inspect = {{0.25f, 0.5f}, {0.75f, 0.125f}};
  CameraPath path;
  CameraKey k0, k1;
  k0.position = make_vec3(1.f, 2.f, 3.f);
  k0.orientation = {0.f, 0.f, 1.f, 0.f};
  k0.seconds = 1.5f;
  k1.position = make_vec3(-1.f, 0.5f, 2.f);
  k1.fov_y_deg = 35.f;
  path.keys = {k0, k1};
  s.camera_path = path;
  return s;
}

std::string error_of(const json& j) {
  try {
    session_from_json(j, "look.json", "/base");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("session: everything survives a write and a read") {
  nerds_test::TempFolder folder("session");
  const std::string path = folder.str() + "/look.json";
  const Session a = example_session();
  write_session(path, a);
  const Session b = read_session(path);
  CHECK(b.data_dir == a.data_dir);
  CHECK(b.downscale == 2);
  CHECK(b.make_scene == "default");
  CHECK(b.scene_options.resolution == 64);
  CHECK(b.scene_options.train_views == 20);
  CHECK(b.scene_options.test_views == 3);
  CHECK(b.params == a.params);
  CHECK(b.step == 123);
  CHECK_FALSE(b.running);
  CHECK(b.snapshot == a.snapshot);
  CHECK(b.threads == 1);
  REQUIRE(b.camera.has_value());
  CHECK(b.camera->target.z == doctest::Approx(0.6f));
  CHECK(b.camera->up.y == doctest::Approx(1.f));
  CHECK(b.camera->distance == doctest::Approx(1.75f));
  CHECK(b.camera->yaw_deg == doctest::Approx(-33.f));
  CHECK(b.camera->pitch_deg == doctest::Approx(12.5f));
  CHECK(b.camera->fov_deg == doctest::Approx(40.f));
  CHECK(b.view.dataset_view == a.view.dataset_view);
  CHECK(b.view.mode == RenderMode::Samples);
  CHECK(b.view.render_scale == doctest::Approx(0.75f));
  CHECK(b.view.background[1] == 0.f);
  CHECK(b.view.overlays.occupancy);
  CHECK(b.view.overlays.occupancy_resolution == 64);
  CHECK(b.view.appearance == a.view.appearance);
  CHECK(b.view.panels.technique);
  CHECK_FALSE(b.view.panels.training);
  REQUIRE(b.inspect.size() == 2);
  CHECK(b.inspect[1][1] == doctest::Approx(0.125f));
  REQUIRE(b.camera_path.has_value());
  REQUIRE(b.camera_path->keys.size() == 2);
  CHECK(b.camera_path->keys[0].position.z == doctest::Approx(3.f));
  CHECK(b.camera_path->keys[0].orientation.y == doctest::Approx(1.f));
  CHECK(b.camera_path->keys[0].seconds == doctest::Approx(1.5f));
  CHECK(b.camera_path->keys[1].fov_y_deg == doctest::Approx(35.f));
  // And the same JSON again: nothing lost or invented.
  CHECK(session_to_json(b) == session_to_json(a));
}

TEST_CASE("session: unknown keys, wrong types and bad values name the file and the field") {
  const json ok = {{"scene", {{"data", "lego"}}}};
  CHECK(error_of(ok).empty());
  CHECK(error_of({{"scene", {{"data", "lego"}}}, {"camera", {{"fov", 40}}}})
            .find("look.json: camera.fov: unknown field") != std::string::npos);
  CHECK(error_of({{"scene", {{"data", "lego"}}}, {"colour", 1}}).find("look.json: colour: unknown field") !=
        std::string::npos);
  // A camera path inside a session names its place in the session.
  const json key = {{"position", {0, 0, 0}}, {"orientation_wxyz", {1, 0, 0, 0}}, {"seconds", -2}};
  CHECK(error_of({{"scene", {{"data", "lego"}}},
                  {"camera_path", {{"nerds_camera_path", 1}, {"keys", {key}}}}})
            .find("look.json: camera_path.keys[0].seconds") != std::string::npos);
  CHECK(error_of({{"scene", {{"data", "lego"}}}, {"training", {{"step", "ten"}}}}).find("training.step") !=
        std::string::npos);
  CHECK(error_of({{"scene", {{"data", "lego"}}}, {"view", {{"mode", "shiny"}}}}).find("view.mode") !=
        std::string::npos);
  CHECK(error_of({{"scene", {{"data", "lego"}}}, {"view", {{"appearance", {{"blend", 2}}}}}})
            .find("view.appearance.blend") != std::string::npos);
  CHECK(error_of({{"scene", {{"data", "lego"}}}, {"view", {{"overlays", {{"grid", true}}}}}})
            .find("view.overlays.grid") != std::string::npos);
  CHECK(error_of({{"scene", {{"data", "lego"}}}, {"camera", {{"dataset_view", {{"split", "val"}, {"index", 1}}}}}})
            .find("camera.dataset_view.split") != std::string::npos);
  CHECK(error_of({{"scene", {{"data", "lego"}}}, {"inspect", {{0.5, 2.0}}}}).find("inspect[0]") != std::string::npos);
  CHECK(error_of({{"method", {{"name", "x"}}}}).find("scene") != std::string::npos);
  CHECK(error_of({{"scene", {{"downscale", 2}}}}).find("scene.data") != std::string::npos);
  CHECK(error_of(json::array()).find("look.json") != std::string::npos);
}

TEST_CASE("session: a missing or malformed file is an InputError, never a crash") {
  nerds_test::TempFolder folder("session_bad");
  CHECK_THROWS_AS(read_session(folder.str() + "/none.json"), InputError);
  const std::string path = folder.str() + "/broken.json";
  std::ofstream(path) << "{\"scene\": {\"data\": \"x\",}";
  try {
    read_session(path);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("broken.json") != std::string::npos);
    CHECK(std::string(e.what()).find("malformed JSON") != std::string::npos);
  }
}

TEST_CASE("session: relative paths start at the session file's folder") {
  const Session s = session_from_json(
      {{"scene", {{"data", "../data/lego"}}}, {"training", {{"snapshot", "model.nerds"}}}}, "s.json", "/home/r/looks");
  CHECK(s.data_dir == "/home/r/data/lego");
  CHECK(s.snapshot == "/home/r/looks/model.nerds");
  const Session t = session_from_json({{"scene", {{"data", "/abs/lego"}}}}, "s.json", "/home/r/looks");
  CHECK(t.data_dir == "/abs/lego");
}

TEST_CASE("session: the command line's overrides, and its checks") {
  ViewerOptions o;
  o.data_dir = "/data/lego";
  o.step = 50;
  o.paused = true;
  o.inspect = {"0.5,0.25"};
  o.dataset_view = "test:2";
  o.mode = "depth";
  o.sets = {"encoding.levels=4"};
  const Session s = starting_session(o);
  CHECK(s.data_dir == "/data/lego");
  CHECK(s.step == 50);
  CHECK_FALSE(s.running);
  REQUIRE(s.inspect.size() == 1);
  CHECK(s.inspect[0][1] == doctest::Approx(0.25f));
  CHECK(s.view.dataset_view == DatasetView{"test", 2});
  CHECK(s.view.mode == RenderMode::Depth);
  const EngineSetup setup = engine_setup(s, "test");
  CHECK(setup.params.get_int("encoding.levels") == 4);

  ViewerOptions none;
  const Session d = starting_session(none);
  CHECK(d.make_scene == "default");
  CHECK(d.data_dir == "runs/view-default");
  CHECK(d.running);

  ViewerOptions bad = o;
  bad.sets = {"encoding.levls=4"};
  CHECK_THROWS_AS(starting_session(bad), InputError);
  bad = o;
  bad.inspect = {"0.5;0.2"};
  CHECK_THROWS_AS(starting_session(bad), InputError);
  bad = o;
  bad.dataset_view = "val:1";
  CHECK_THROWS_AS(starting_session(bad), InputError);
  bad = o;
  bad.mode = "shiny";
  CHECK_THROWS_AS(starting_session(bad), InputError);
  CHECK_THROWS_AS(parse_point("1.5,0", "--inspect"), InputError);
}

TEST_CASE("session: what the window shows is captured: the run, the camera, the view, the picked rays") {
  Session opened;
  opened.make_scene = "default";
  opened.scene_options.resolution = 48;
  WorkerState w;
  auto scene = std::make_shared<SceneInfo>();
  scene->data_dir = "/data/scene";
  scene->method_name = "instant_ngp";
  scene->params = default_method_params();
  scene->params.set("encoding.levels", int64_t{6});
  scene->snapshot = "/runs/a/snapshot.nerds";
  w.scene = scene;
  w.stats.step = 77;
  w.training = true;
  ViewerState v;
  OrbitState orbit;
  orbit.distance = 2.5f;
  v.camera.set_home(orbit);
  v.view.mode = RenderMode::Opacity;
  v.picks[1] = {true, 0.25f, 0.75f, 3};
  v.train_threads = 1;
  CameraKey key;
  key.position = make_vec3(0.5f, -2.f, 1.f);
  v.camera_path.path.keys = {key, key};
  const Session s = capture_session(opened, w, v);
  CHECK(s.data_dir == "/data/scene");
  CHECK(s.make_scene == "default");  // how to make the scene travels with it
  CHECK(s.scene_options.resolution == 48);
  CHECK(s.params["encoding"]["levels"] == 6);
  CHECK(s.snapshot == "/runs/a/snapshot.nerds");
  CHECK(s.step == 77);
  CHECK(s.running);
  CHECK(s.threads == 1);
  REQUIRE(s.camera.has_value());
  CHECK(s.camera->distance == doctest::Approx(2.5f));
  CHECK(s.view.mode == RenderMode::Opacity);
  REQUIRE(s.inspect.size() == 1);
  CHECK(s.inspect[0][0] == doctest::Approx(0.25f));
  REQUIRE(s.camera_path.has_value());  // the camera-path panel's keys
  CHECK(s.camera_path->keys.size() == 2);
  CHECK(s.camera_path->keys[1].position.y == doctest::Approx(-2.f));
  // And it opens again with the same parameters.
  const EngineSetup setup = engine_setup(session_from_json(session_to_json(s), "s.json", "/"), "s.json");
  CHECK(setup.params.get_int("encoding.levels") == 6);
  CHECK(setup.snapshot == "/runs/a/snapshot.nerds");
}
