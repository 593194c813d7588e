// NeRF-W's modules in the engine (renderer/techniques/per_image/): the appearance and transient
// codes are named parameter tensors that snapshots save and restore; training with both runs
// and moves them; a chosen view appearance changes renders; the test-time fit of a view's code
// recovers a training image's appearance; off by default (no tensors added).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/train/metrics.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_engine.h"

using namespace nerds;

namespace {

const PackedTensor* find_tensor(const std::vector<PackedTensor>& tensors, const std::string& name) {
  for (const PackedTensor& t : tensors)
    if (t.info.name == name) return &t;
  return nullptr;
}

}  // namespace

TEST_CASE("NeRF-W: the default method has no per-image tensors") {
  nerds_test::TempFolder folder("nerfw_default");
  const auto engine = nerds_test::small_engine(folder.str(), {}, 16, 4);
  const std::vector<PackedTensor> tensors = engine->param_tensors();
  CHECK(find_tensor(tensors, "field.appearance.embeddings") == nullptr);
  CHECK(find_tensor(tensors, "transient.embeddings") == nullptr);
}

TEST_CASE("NeRF-W: appearance and transient codes train, and a snapshot saves and restores them") {
  nerds_test::TempFolder folder("nerfw_snapshot");
  const auto engine = nerds_test::small_engine(
      folder.str(),
      {"appearance.kind=embedding", "appearance.dim=8", "transient.enabled=true", "transient.dim=4",
       "trainer.batch_samples=2048"},
      16, 4);
  const std::vector<float> transient_start =
      find_tensor(engine->param_tensors(true), "transient.embeddings")->values;  // random, per image
  for (int i = 0; i < 5; ++i) REQUIRE(std::isfinite(engine->train_step().loss));
  const std::vector<PackedTensor> trained = engine->param_tensors(true);
  const PackedTensor* codes = find_tensor(trained, "field.appearance.embeddings");
  const PackedTensor* transient = find_tensor(trained, "transient.embeddings");
  REQUIRE(codes != nullptr);
  REQUIRE(transient != nullptr);
  CHECK(codes->info.shape == std::vector<int64_t>{4, 8});  // one code per training image
  CHECK(transient->info.shape == std::vector<int64_t>{4, 4});
  // Trained: they left their start (zero for the appearance codes).
  double moved = 0.0, moved_t = 0.0;
  for (float v : codes->values) moved += std::fabs(v);
  for (size_t k = 0; k < transient->values.size(); ++k) moved_t += std::fabs(transient->values[k] - transient_start[k]);
  CHECK(moved > 0.0);
  CHECK(moved_t > 0.0);
  const std::string path = (folder.path() / "run.nerds").string();
  engine->save(path);
  const std::vector<PackedTensor> loaded = Engine::load(path)->param_tensors(true);
  for (const char* name : {"field.appearance.embeddings", "transient.embeddings", "transient.mlp.0"}) {
    CAPTURE(name);
    const PackedTensor* a = find_tensor(trained, name);
    const PackedTensor* b = find_tensor(loaded, name);
    REQUIRE(a != nullptr);
    REQUIRE(b != nullptr);
    CHECK(a->values == b->values);
  }
}

TEST_CASE("NeRF-W: a view appearance changes the render, and the fit recovers a training image's look") {
  nerds_test::TempFolder folder("nerfw_fit");
  const auto engine = nerds_test::small_engine(
      folder.str(), {"appearance.kind=embedding", "appearance.dim=8", "trainer.batch_samples=4096"}, 16, 4);
  for (int i = 0; i < 60; ++i) engine->train_step();
  const std::vector<PackedTensor> tensors = engine->param_tensors(true);
  const PackedTensor* codes = find_tensor(tensors, "field.appearance.embeddings");
  REQUIRE(codes != nullptr);
  // A code far from the training codes: image 0's, scaled up.
  std::vector<float> code(codes->values.begin(), codes->values.begin() + 8);
  for (float& v : code) v = 20.f * v + 1.f;
  const Frame& f = engine->train_set().frames[0];
  const float white[3] = {1.f, 1.f, 1.f};
  const std::vector<float> mean_render = engine->render(f.pose, f.intrinsics, white).rgb;
  engine->set_view_appearance(code);
  const std::vector<float> target = engine->render(f.pose, f.intrinsics, white).rgb;
  const double changed = psnr(mean_render.data(), target.data(), target.size());
  CHECK(changed < 60.0);  // the code reaches the colors
  // Fit a code to the coded render's colors from the mean code: the fitted render is closer.
  std::vector<Ray> rays;
  for (int y = 0; y < f.intrinsics.height; ++y)
    for (int x = 0; x < f.intrinsics.width; ++x) rays.push_back(camera_ray(f.pose, f.intrinsics, x + 0.5f, y + 0.5f));
  engine->set_view_appearance({});
  const std::vector<float> fitted = engine->fit_view_appearance(rays, target, white, 100, 5e-2f);
  REQUIRE(fitted.size() == 8u);
  engine->set_view_appearance(fitted);
  const std::vector<float> fitted_render = engine->render(f.pose, f.intrinsics, white).rgb;
  const double before = changed, after = psnr(fitted_render.data(), target.data(), target.size());
  CAPTURE(before);
  CAPTURE(after);
  CHECK(after > before + 3.0);
}
