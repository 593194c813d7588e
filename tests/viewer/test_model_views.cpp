// The viewer's views of NeRF-W, BARF and Ref-NeRF models: the render modes that show engine
// layers (normals, diffuse/specular, static/transient/uncertainty), disabled with a reason for
// a model without them, their colours, the worker rendering them; NeRF-W's appearance blend;
// BARF's three camera sets and the pose error series.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "renderer/techniques/core/modules.h"
#include "tests/data/temp_folder.h"
#include "tests/viewer/wait_for_worker.h"
#include "tests/test_support/small_engine.h"
#include "tests/test_support/small_scene.h"
#include "viewer/core/appearance_blend.h"
#include "viewer/core/engine_worker.h"
#include "viewer/core/image_colors.h"
#include "viewer/core/pose_frustums.h"
#include "viewer/core/render_mode_layers.h"
#include "viewer/core/view_geometry.h"
#include "viewer/core/viewer_options.h"

using namespace nerds;
using namespace nerds::viewer;
using nerds_test::wait_for;

namespace {

const float kWhite[3] = {1.f, 1.f, 1.f};

SceneInfo describe(const Engine& e) {
  SceneInfo scene;
  scene.train = e.train_set_ptr();
  describe_model_layers(e, scene);
  return scene;
}

}  // namespace

TEST_CASE("render modes: names round-trip, --modes parses a list, layer modes name their engine layer") {
  for (int i = 0; i < kRenderModeCount; ++i) {
    RenderMode m;
    REQUIRE(parse_render_mode(render_mode_name(static_cast<RenderMode>(i)), &m));
    CHECK(static_cast<int>(m) == i);
  }
  const std::vector<RenderMode> list = parse_render_modes("normals,diffuse,uncertainty", "--modes");
  REQUIRE(list.size() == 3);
  CHECK(list[2] == RenderMode::Uncertainty);
  CHECK_THROWS_AS(parse_render_modes("normals,shiny", "--modes"), InputError);
  CHECK(mode_render_layer(RenderMode::Rgb) == RenderLayer::None);
  CHECK(mode_render_layer(RenderMode::Normals) == RenderLayer::DensityNormals);
  CHECK(mode_render_layer(RenderMode::Specular) == RenderLayer::Specular);
}

TEST_CASE("render modes: a plain model has normals only, the others are disabled with the parameter that gives them") {
  nerds_test::TempFolder folder("modes_plain");
  const std::unique_ptr<Engine> engine = nerds_test::small_engine(folder.str(), {}, 16, 4);
  const SceneInfo scene = describe(*engine);
  CHECK(mode_unavailable(RenderMode::Rgb, scene).empty());
  CHECK(mode_unavailable(RenderMode::Normals, scene).empty());
  CHECK(mode_unavailable(RenderMode::Diffuse, scene).find("field.color = ref_nerf") != std::string::npos);
  CHECK(mode_unavailable(RenderMode::PredictedNormals, scene).find("ref_nerf") != std::string::npos);
  CHECK(mode_unavailable(RenderMode::Transient, scene).find("transient.enabled") != std::string::npos);
  ViewSettings view;
  view.mode = RenderMode::Diffuse;
  CHECK(mode_layer(view, scene).layer == RenderLayer::None);  // not asked of a model without it
  view.mode = RenderMode::Normals;
  CHECK(mode_layer(view, scene).layer == RenderLayer::DensityNormals);
}

TEST_CASE("appearance: the blend at 0 and 1 is each image's code, and renders as that code") {
  nerds_test::TempFolder folder("appearance_blend");
  const std::unique_ptr<Engine> engine =
      nerds_test::small_engine(folder.str(), {"appearance.kind=embedding", "trainer.batch_samples=4096"}, 16, 6);
  Engine& e = *engine;
  for (int i = 0; i < 8; ++i) e.train_step();
  const std::vector<float> a = e.appearance_code(1), b = e.appearance_code(4);
  REQUIRE(a.size() == 48);
  REQUIRE(a != b);  // trained apart from their common zero start
  AppearanceChoice choice{1, 4, 0.f};
  CHECK(chosen_appearance(e, choice) == a);
  choice.blend = 1.f;
  CHECK(chosen_appearance(e, choice) == b);
  choice.blend = 0.5f;
  const std::vector<float> mid = chosen_appearance(e, choice);
  for (size_t k = 0; k < a.size(); ++k) CHECK(mid[k] == doctest::Approx(0.5f * (a[k] + b[k])));
  CHECK(chosen_appearance(e, {-1, -1, 0.f}) == e.appearance_code(-1));
  CHECK_THROWS_AS(blend_codes(a, std::vector<float>(3), 0.5f), std::invalid_argument);

  // Rendered: the blend at 1 is image 4's appearance, and differs from image 1's.
  const Frame& f = e.train_set().frames[0];
  e.set_view_appearance(blend_codes(a, b, 1.f));
  const RenderBuffers at_one = e.render(f.pose, f.intrinsics, kWhite);
  e.set_view_appearance(b);
  CHECK(e.render(f.pose, f.intrinsics, kWhite).rgb == at_one.rgb);
  e.set_view_appearance(blend_codes(a, b, 0.f));
  CHECK(e.render(f.pose, f.intrinsics, kWhite).rgb != at_one.rgb);
}

TEST_CASE("pose frustums: a noisy-poses run gives noisy, refined and true camera sets in three colours") {
  nerds_test::TempFolder folder("pose_frustums");
  nerds_test::make_small_scene("noisy-poses", folder.str(), 16, 6, 0);
  EngineOptions o;
  o.data_dir = folder.str();
  ParamSet p = default_method_params();
  p.set("encoding.levels", int64_t{4});
  p.set("encoding.log2_table_size", int64_t{12});
  p.set("trainer.batch_samples", int64_t{4096});
  p.set_from_string("camera.pose_refine=true");
  Engine e(o, p);
  for (int i = 0; i < 5; ++i) e.train_step();
  const CameraPoseSets sets = camera_pose_sets(e);
  CHECK(sets.step == 5);
  REQUIRE(sets.noisy.size() == 6);
  REQUIRE(sets.refined.size() == 6);
  REQUIRE(sets.truth.size() == 6);
  bool moved = false;
  for (size_t i = 0; i < 6; ++i) moved |= length(sets.refined[i].origin() - sets.noisy[i].origin()) > 0.f;
  CHECK(moved);  // five steps of pose refinement moved some camera
  const PoseFrustumLines lines = pose_frustum_lines(sets, 0.05f);
  LineSet one;
  add_frustum(one, sets.noisy[0], sets.intrinsics[0], 0.05f, LineColor{});
  for (const LineSet* set : {&lines.noisy, &lines.refined, &lines.truth}) CHECK(set->vertex_count() == 6 * one.vertex_count());
  const PoseFrustumColors colors;
  CHECK(lines.noisy.rgba[0] == colors.noisy.r);
  CHECK(lines.refined.rgba[0] == colors.refined.r);
  CHECK(lines.truth.rgba[2] == colors.truth.b);
  CHECK(lines.truth.xyz != lines.noisy.xyz);

  // Without pose refinement there is nothing to show.
  p.set_from_string("camera.pose_refine=false");
  Engine plain(o, p);
  CHECK(camera_pose_sets(plain).refined.empty());
}

TEST_CASE("training history: the pose error series holds the measured points only") {
  std::vector<TrainingPoint> points(5);
  for (int i = 0; i < 5; ++i) points[i].step = i + 1;
  points[1].pose_rotation_deg = 2.f;
  points[1].pose_translation = 0.1f;
  points[4].pose_rotation_deg = 1.f;
  points[4].pose_translation = 0.05f;
  const TrainingSeries s = training_series(points);
  REQUIRE(s.pose_rotation_deg.size() == 2);
  CHECK(s.pose_rotation_deg[1] == 1.f);
  CHECK(s.pose_translation[0] == 0.1f);
}

TEST_CASE("engine worker: a Ref-NeRF model's view switches through the layer modes") {
  nerds_test::TempFolder folder("worker_modes");
  EngineSetup setup;
  setup.data_dir = folder.str() + "/scene";
  setup.make_scene = "default";
  setup.scene_options = nerds_test::small_scene_options(16, 6, 0);
  setup.params = default_method_params();
  for (const char* s : {"encoding.log2_table_size=12", "encoding.levels=4", "trainer.batch_samples=2048",
                        "field.color=ref_nerf", "field.geo_features=16"})
    setup.params.set_from_string(s);
  WorkerSettings settings;
  settings.coarse_rays_min = settings.coarse_rays_max = 64;
  EngineWorker w(settings);
  w.post(cmd::Open{setup});
  WorkerState s = wait_for(w, [](const WorkerState& s) { return s.ready || !s.error.empty(); });
  REQUIRE_MESSAGE(s.ready, s.error);
  CHECK(s.scene->layer_unavailable.size() == 8);
  CHECK_FALSE(s.scene->pose_refine);
  CHECK(s.scene->appearance_dim == 0);
  w.post(cmd::StepOnce{});
  ViewRequest view;
  view.target.pose = look_at(make_vec3(0.5f, -1.f, 0.9f), make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 0.f, 1.f));
  view.target.intrinsics = intrinsics_for_fov(24, 18, 50.f);
  uint64_t version = 0;
  for (const RenderMode mode : {RenderMode::Normals, RenderMode::PredictedNormals, RenderMode::Diffuse,
                                RenderMode::Specular, RenderMode::Rgb, RenderMode::Uncertainty}) {
    CAPTURE(render_mode_name(mode));
    ViewSettings v;
    v.mode = mode;
    view.target.layer = mode_layer(v, *s.scene);
    view.target.version = ++version;
    w.set_view(view);
    s = wait_for(w, [&](const WorkerState& s) { return s.image && s.image->finest && s.image->view_version == version; });
    REQUIRE(s.image);
    REQUIRE(s.image->view_version == version);
    const bool layer = mode_unavailable(mode, *s.scene).empty() && mode_render_layer(mode) != RenderLayer::None;
    CHECK(s.image->buffers.layer.size() == (layer ? s.image->buffers.rgb.size() : 0u));
    const Colorized c = colorize(*s.image, mode, {});
    CHECK(c.image.rgba.size() == 4u * 24 * 18);
    CHECK(c.note.empty() == (layer || mode == RenderMode::Rgb));  // uncertainty: not this model's, a note says so
  }
  // Asked for a layer this model lacks (compare mode's other arm may ask so): colour, no error.
  view.target.layer = LayerRequest{RenderLayer::Transient, 0};
  view.target.version = ++version;
  w.set_view(view);
  s = wait_for(w, [&](const WorkerState& s) { return s.image && s.image->finest && s.image->view_version == version; });
  REQUIRE(s.image);
  CHECK(s.image->buffers.layer.empty());
  CHECK(s.error.empty());
}
