// BARF's pose refinement around the training loop: the similarity alignment of two camera sets
// (Umeyama) and the pose errors it gives, the true poses of the noisy-poses scene, snapshots
// of the pose corrections, the training that moves them, and the test-time pose alignment.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "renderer/data/dataset.h"
#include "renderer/data/true_poses.h"
#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/math/se3.h"
#include "renderer/train/pose_evaluation.h"
#include "renderer/train/trainer.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/numeric.h"
#include "tests/test_support/small_engine.h"
#include "tests/test_support/small_scene.h"

using namespace nerds;
namespace fs = std::filesystem;

namespace {

std::vector<float> tensor_values(const Engine& e, const std::string& name) {
  for (const PackedTensor& t : e.param_tensors(true))
    if (t.info.name == name) return t.values;
  return {};
}

Pose rotated_about_own_axis(const Pose& p, float angle_rad) {
  const float xi[6] = {0.f, 0.f, angle_rad, 0.f, 0.f, 0.f};  // about the camera's z axis
  return refined_pose(p, xi);
}

}  // namespace

TEST_CASE("pose alignment: Umeyama recovers a known similarity transform") {
  nerds_test::Random random(3);
  std::vector<Vec3> from, to;
  const float w[6] = {0.4f, -0.9f, 0.3f, 0.f, 0.f, 0.f};
  float R[3][3], t_unused[3];
  se3_exp(w, R, t_unused);
  const double scale = 1.7, t[3] = {0.3, -1.2, 2.5};
  for (int i = 0; i < 20; ++i) {
    const std::vector<float> p = random.floats(3, -2.f, 2.f);
    from.push_back(make_vec3(p[0], p[1], p[2]));
    Vec3 q;
    for (int a = 0; a < 3; ++a)
      q[a] = static_cast<float>(scale * (R[a][0] * p[0] + R[a][1] * p[1] + R[a][2] * p[2]) + t[a]);
    to.push_back(q);
  }
  const Similarity sim = align_points(from, to);
  CHECK(sim.scale == doctest::Approx(scale).epsilon(1e-5));
  for (int a = 0; a < 3; ++a) {
    CHECK(sim.t[a] == doctest::Approx(t[a]).epsilon(1e-5).scale(1.0));
    for (int b = 0; b < 3; ++b) CHECK(sim.R[a][b] == doctest::Approx(R[a][b]).epsilon(1e-5).scale(1.0));
  }
  CHECK_THROWS_AS(align_points(std::vector<Vec3>(from.begin(), from.begin() + 2), std::vector<Vec3>(to.begin(), to.begin() + 2)),
                  std::invalid_argument);
}

TEST_CASE("pose errors: zero for a similar copy of the cameras, the angle of a camera turned alone") {
  std::vector<Pose> truth, moved;
  Similarity sim;
  sim.scale = 0.8;
  const float w[6] = {0.2f, 0.5f, -0.1f, 0.f, 0.f, 0.f};
  float R[3][3], t_unused[3];
  se3_exp(w, R, t_unused);
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) sim.R[a][b] = R[a][b];
    sim.t[a] = 0.1 * (a + 1);
  }
  for (int i = 0; i < 12; ++i) {
    const float angle = 6.2831853f * i / 12.f;
    truth.push_back(look_at(make_vec3(0.5f + std::cos(angle), 0.5f + 0.3f * std::sin(3.f * angle), 0.5f + std::sin(angle)),
                            make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 1.f, 0.f)));
    moved.push_back(sim.apply(truth.back()));
  }
  const PoseErrors same = pose_errors(moved, truth, 3.0);
  CHECK(same.cameras == 12);
  CHECK(same.rotation_deg < 1e-3);
  CHECK(same.translation < 1e-5);
  moved[4] = rotated_about_own_axis(moved[4], 2.f * 3.14159265f / 180.f);  // 2 degrees, center unchanged
  const PoseErrors one = pose_errors(moved, truth, 3.0);
  CHECK(one.camera_rotation_deg[4] == doctest::Approx(2.0).epsilon(1e-3));
  CHECK(one.camera_rotation_deg[3] < 1e-3);
  CHECK(one.rotation_deg == doctest::Approx(2.0 / 12.0).epsilon(1e-3));
}

TEST_CASE("noisy-poses: the loader finds transforms_train_true.json, and names it when it is malformed") {
  nerds_test::TempFolder folder("true_poses");
  nerds_test::make_small_scene("noisy-poses", folder.str(), 16, 6, 2);
  const Dataset train = load_dataset(folder.str());
  REQUIRE(train.true_poses.size() == train.frames.size());
  // The written poses are off by about 2.5 degrees per axis (noisy-poses.json).
  const PoseErrors e = pose_errors([&] {
    std::vector<Pose> p;
    for (const Frame& f : train.frames) p.push_back(f.pose);
    return p;
  }(), train.true_poses, 1.0 / train.scale);
  CHECK(e.rotation_deg > 1.0);
  CHECK(e.rotation_deg < 10.0);
  DatasetOptions test_split;
  test_split.split = "test";
  CHECK(load_dataset(folder.str(), test_split).true_poses.empty());

  const fs::path file = folder.path() / kTruePosesFile;
  nlohmann::json j = nlohmann::json::parse(std::ifstream(file));
  SUBCASE("a frame too few") { j["frames"].erase(j["frames"].begin()); }
  SUBCASE("a frame of another image") { j["frames"][1]["file_path"] = "./train/elsewhere"; }
  SUBCASE("a pose that is no pose") { j["frames"][0]["transform_matrix"] = "identity"; }
  std::ofstream(file) << j.dump();
  try {
    (void)load_dataset(folder.str());
    FAIL("no error");
  } catch (const InputError& error) {
    CHECK(std::string(error.what()).find(kTruePosesFile) != std::string::npos);
  }
}

TEST_CASE("pose refinement: the corrections train, and a snapshot restores them with their moments") {
  nerds_test::TempFolder folder("pose_refine");
  const std::string data = (folder.path() / "scene").string();
  nerds_test::make_small_scene("noisy-poses", data, 24, 8, 2);
  EngineOptions o;
  o.data_dir = data;
  ParamSet p = default_method_params();
  p.set("encoding.levels", int64_t{4});
  p.set("encoding.log2_table_size", int64_t{12});
  p.set("camera.pose_refine", true);
  p.set("encoding.c2f", true);
  p.set("trainer.batch_samples", int64_t{4096});
  Engine engine(o, p);
  engine.set_budget(0.0, 20);
  const std::vector<float> start = tensor_values(engine, "camera.pose_refine.se3");
  REQUIRE(start.size() == 8 * 6);
  for (float v : start) CHECK(v == 0.f);
  for (int i = 0; i < 8; ++i) engine.train_step();
  const std::vector<float> trained = tensor_values(engine, "camera.pose_refine.se3");
  double moved = 0.0;
  for (float v : trained) {
    REQUIRE(std::isfinite(v));
    moved += std::fabs(v);
  }
  CHECK(moved > 0.0);
  const TrainingPoseReport report = training_pose_report(engine);
  CHECK(report.has_true_poses);
  CHECK(report.refined);
  CHECK(std::isfinite(report.after.rotation_deg));

  const std::string snapshot = (folder.path() / "snap.nerds").string();
  engine.save(snapshot);
  const std::unique_ptr<Engine> loaded = Engine::load(snapshot);
  CHECK(tensor_values(*loaded, "camera.pose_refine.se3") == trained);
  const auto moments_of = [](const Engine& e) {
    const std::vector<ParamTensor> t = e.trainer().param_tensors();
    const int k = find_tensor(t, "camera.pose_refine.se3");
    REQUIRE(k >= 0);
    return e.trainer().moments()[k].v;
  };
  CHECK(moments_of(*loaded) == moments_of(engine));
  CHECK(training_pose_report(*loaded).after.rotation_deg == report.after.rotation_deg);

  // Test-time alignment: the similarity alone, then a few frozen-model steps; the field stays.
  const Dataset test = engine.load_split("test", true);
  const Dataset aligned = pose_aligned_test_split(engine, test, 0);
  REQUIRE(aligned.frames.size() == test.frames.size());
  const std::vector<float> grid_before = tensor_values(engine, "encoding.grid");
  const Dataset refined = pose_aligned_test_split(engine, test, 3);
  CHECK(tensor_values(engine, "encoding.grid") == grid_before);
  for (const Frame& f : refined.frames)
    for (int a = 0; a < 3; ++a) CHECK(std::isfinite(f.pose.m[a][3]));
}
