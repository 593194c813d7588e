// Mip-NeRF 360's scene contraction as the engine's space warp (warp.kind = contract;
// renderer/math/contraction.h, contracted_march.h, the "warp" module): its settings from the
// parameters (the foreground radius from the cameras or given, the norm, the far plane),
// refusals that name warp.kind (samplers that place samples in a box), and training on a
// tiny `unbounded` scene (also with the footprint encodings: Mip-NeRF's IPE, Zip-NeRF's grid): the loss falls, rendered depth is world distance
// beyond the scene box, and density_at at the inspector's samples gives what the ray saw.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/techniques/core/modules.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/engine_eval.h"
#include "tests/test_support/small_scene.h"

using namespace nerds;

namespace {

// A tiny `unbounded` scene (cameras on a ring of radius 3 world units around a statue, the
// ground and sky out to 40 units), made once.
const std::string& tiny_unbounded() {
  static nerds_test::TempFolder folder("contract_unbounded");
  static const std::string dir = [] {
    nerds_test::make_small_scene("unbounded", folder.str(), 32, 24, 2, 2);
    return folder.str();
  }();
  return dir;
}

ParamSet contract_params() {
  ParamSet p = default_method_params();
  p.set("warp.kind", std::string("contract"));
  return p;
}

}  // namespace

TEST_CASE("warp.kind=contract: the foreground radius from the farthest camera or the parameter, norm and far plane") {
  const Dataset data = load_dataset(tiny_unbounded());
  ParamSet p = contract_params();
  TrainConfig c = make_train_config(p, data);
  REQUIRE(c.warp.kind == WarpKind::Contract);
  const ContractWarp& w = c.warp.contract;
  CHECK(w.norm == ContractNorm::L2);
  CHECK(w.center.x == 0.5f);
  float farthest = 0.f;
  for (const Frame& f : data.frames) farthest = std::max(farthest, length(f.pose.origin() - w.center));
  CHECK(w.radius == farthest);
  CHECK(w.radius / data.scale == doctest::Approx(3.f).epsilon(0.05));  // the rig's ring, in world units
  CHECK(w.far == doctest::Approx(1000.f * w.radius));

  p.set("warp.contract_norm", std::string("linf"));
  p.set("warp.contract_radius", 1.5);
  p.set("warp.contract_far", 50.0);
  c = make_train_config(p, data);
  CHECK(c.warp.contract.norm == ContractNorm::Linf);
  CHECK(c.warp.contract.radius == doctest::Approx(1.5f * data.scale));
  CHECK(c.warp.contract.far == doctest::Approx(50.f * 1.5f * data.scale));

  // Every ray is marched from its origin to the far plane, and a point's sampling position is
  // its contracted point on the box.
  const SamplingRay r = sampling_ray(c.warp, c.march, data.frames[0].pose.origin(), make_vec3(1.f, 0.f, 0.f));
  CHECK(r.hit);
  CHECK(r.t0 == 0.f);
  CHECK(r.t1 == c.warp.contract.far);
  const Vec3 far_point = sampling_point(c.warp, c.march.box_half, make_vec3(1e4f, 0.5f, 0.5f));
  CHECK(far_point.x == doctest::Approx(0.5f + c.march.box_half).epsilon(1e-3));
}

TEST_CASE("warp.kind=contract refuses the samplers that place samples in a box, naming warp.kind") {
  const Dataset data = load_dataset(tiny_unbounded());
  for (const char* sampler : {"hierarchical", "stratified"}) {
    CAPTURE(sampler);
    ParamSet p = contract_params();
    p.set("sampler.kind", std::string(sampler));
    CHECK_THROWS_WITH_AS(make_train_config(p, data), doctest::Contains("warp.kind"), InputError);
    p.set("warp.kind", std::string("none"));
    CHECK_NOTHROW(make_train_config(p, data));
  }
}

namespace {

void train_contracted(const std::string& sampler, const std::vector<std::string>& overrides = {}) {
  CAPTURE(sampler);
  CAPTURE(overrides.size());
  ParamSet p = contract_params();
  p.set("encoding.log2_table_size", int64_t{15});
  // The proposal sampler composites 32 samples per ray where the marcher uses a few: the same
  // rays per step need 4x the samples.
  p.set("trainer.batch_samples", int64_t{sampler == "proposal" ? 32768 : 8192});
  p.set("occupancy.warmup_steps", int64_t{32});
  p.set("sampler.kind", sampler);
  for (const std::string& assignment : overrides) p.set_from_string(assignment);
  EngineOptions o;
  o.data_dir = tiny_unbounded();
  Engine engine(o, p);
  REQUIRE(engine.config().warp.kind == WarpKind::Contract);
  const nerds_test::LossWindows loss = nerds_test::train_loss_windows(engine, 60);
  REQUIRE(loss.finite);
  MESSAGE("warp.kind=contract on the unbounded scene: mean loss of steps 1-5 " << loss.first << ", of steps 56-60 "
                                                                               << loss.last);
  CHECK(loss.last < 0.75 * loss.first);

  // Rendered depth is the expected engine distance along the ray. Every pixel of the scene is
  // opaque and much of it (the ground behind the statue, the sky 40 units out) lies beyond the
  // scene box [-1.5, 1.5]^3, which no ray from the ring (radius 3) leaves before 4.5 units.
  const Dataset test = engine.load_split("test");
  double opacity = 0.0;
  const double mean_world = nerds_test::mean_rendered_world_depth(engine, test, 0, &opacity);
  REQUIRE(std::isfinite(mean_world));
  REQUIRE(opacity > 0.5);
  MESSAGE("mean rendered depth " << mean_world << " world units");
  CHECK(mean_world < 45.0);
  // The marcher's depth lies past the box after 60 steps; the proposal sampler's not yet at
  // this size (32 px, 24 views: mean 2.5 units, some weight in front of the cameras; on the
  // 100-px scene at 300 steps it scores 28.5 dB against the marcher's 24.9).
  if (sampler == "march") CHECK(mean_world > 4.5);

  // density_at takes points of the engine's frame: at the inspector's samples (engine
  // distances along the straight ray) it gives the densities the ray saw. A footprint encoding
  // saw each sample's frustum, where density_at asks for a point: nothing to compare.
  if (!overrides.empty()) return;
  const Frame& f = test.frames[0];
  const float px = 0.5f * f.intrinsics.width, py = 0.5f * f.intrinsics.height;
  const std::vector<RaySample> samples = engine.inspect(f.pose, f.intrinsics, px, py);
  REQUIRE(samples.size() > 8u);
  const Ray ray = camera_ray(f.pose, f.intrinsics, px, py);
  std::vector<Vec3> points;
  std::vector<float> seen;
  for (size_t i = 0; i < samples.size(); i += samples.size() / 8) {
    points.push_back(ray.origin + ray.dir * samples[i].t);
    seen.push_back(samples[i].sigma);
  }
  const std::vector<float> sigma = engine.density_at(points);
  for (size_t i = 0; i < points.size(); ++i) {
    CAPTURE(i);
    CHECK(sigma[i] == doctest::Approx(seen[i]).epsilon(2e-2).scale(1e-3));
  }
}

}  // namespace

// With the marcher (through the occupancy grid of contracted space) and with the proposal
// sampler (its intervals in s-space, ray_spacing.h).
TEST_CASE("warp.kind=contract trains on a tiny unbounded scene: the loss falls, depth is world distance past the box") {
  train_contracted("march");
  train_contracted("proposal");
}

// The footprint encodings read each sample's frustum carried through the contraction
// (contracted_footprint.h): Zip-NeRF's multisampled, downweighted grid with the proposal
// sampler (Zip-NeRF's own setting) and Mip-NeRF's IPE with the marcher.
TEST_CASE("warp.kind=contract trains with the footprint encodings: Zip-NeRF's grid and Mip-NeRF's IPE") {
  train_contracted("proposal", {"encoding.zip_downweight=true", "encoding.zip_multisample=true"});
  train_contracted("march", {"encoding.kind=ipe"});
}
