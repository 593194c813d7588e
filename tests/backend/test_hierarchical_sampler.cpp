// NeRF's hierarchical sampling (Mildenhall et al. 2020, Sec. 5.2; renderer/math/
// hierarchical_sampling.h, renderer/techniques/samplers/hierarchical_sampler.cpp, the "sampler" module):
// the samples of a ray are sorted, inside its span of the box, their intervals tile the span,
// the fine samples gather where the coarse weights are, the module's probe gives sorted
// distances, training with it lowers the loss, renders and the ray inspector use it, and the
// CUDA backend says it does not support it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "renderer/techniques/samplers/hierarchical_sampler.h"
#include "renderer/backend/training_backend.h"
#include "renderer/engine.h"
#include "renderer/math/hierarchical_sampling.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/train/trainer.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/numeric.h"
#include "tests/test_support/small_scene.h"
#include "tests/test_support/small_engine.h"

using namespace nerds;

namespace {

using nerds_test::make_small_default_scene;

// The coarse pass of one ray over [t0, t1] against a synthetic density: a slab of density
// `sigma` over [a, b], empty elsewhere. Returns the fine samples.
std::vector<float> fine_samples_for_slab(float t0, float t1, float a, float b, float sigma, int nc, int nf,
                                         const float* jitter) {
  std::vector<float> coarse(nc), edges(nc + 1), density(nc), w(nc), u(nf), fine(nf);
  coarse_sample_positions(t0, t1, nc, jitter, coarse.data());
  sample_interval_edges(coarse.data(), nc, t0, t1, edges.data());
  for (int i = 0; i < nc; ++i) density[i] = coarse[i] >= a && coarse[i] <= b ? sigma : 0.f;
  interval_weights(density.data(), edges.data(), nc, w.data());
  fine_sample_positions(edges.data(), w.data(), nc, nf, jitter ? jitter + nc : nullptr, u.data(), fine.data());
  return fine;
}

bool ascending(const float* t, int n) {
  for (int i = 1; i < n; ++i)
    if (t[i] < t[i - 1]) return false;
  return true;
}

NetworkConfig small_network() {
  NetworkConfig c;
  c.grid.levels = 4;
  c.grid.features = 2;
  c.grid.log2_table_size = 12;
  c.grid.base_resolution = 4;
  c.grid.max_resolution = 32;
  return c;
}


ParamSet small_hierarchical_params() {
  ParamSet p = default_method_params();
  p.set("encoding.log2_table_size", int64_t{15});
  p.set("trainer.batch_samples", int64_t{8192});
  p.set("sampler.kind", std::string("hierarchical"));
  p.set("sampler.coarse_samples", int64_t{32});
  p.set("sampler.fine_samples", int64_t{64});
  return p;
}

}  // namespace

TEST_CASE("hierarchical sampling: fine samples gather in the slab that holds the coarse weights") {
  // A slab over 10% of the span, dense enough to stop most rays (optical depth 5 over it).
  const float t0 = 1.f, t1 = 3.f, a = 2.2f, b = 2.4f;
  const int nc = 64, nf = 128;
  nerds_test::Random rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const std::vector<float> jitter = rng.floats(nc + nf, 0.f, 1.f);
    const std::vector<float> fine = fine_samples_for_slab(t0, t1, a, b, 25.f, nc, nf, trial ? jitter.data() : nullptr);
    CHECK(ascending(fine.data(), nf));
    int inside = 0;
    for (float t : fine) {
      CHECK(t >= t0);
      CHECK(t <= t1);
      // A coarse sample's interval reaches half a stratum past the slab.
      if (t >= a - 0.5f * (t1 - t0) / nc && t <= b + 0.5f * (t1 - t0) / nc) ++inside;
    }
    CAPTURE(trial);
    CHECK(inside >= static_cast<int>(0.95 * nf));  // the slab is 10% of the span
  }
  // No density at all: the fine samples spread over the whole span (the PDF's padding).
  const std::vector<float> empty = fine_samples_for_slab(t0, t1, a, b, 0.f, nc, nf, nullptr);
  CHECK(empty.front() < t0 + 0.05f * (t1 - t0));
  CHECK(empty.back() > t1 - 0.05f * (t1 - t0));
}

TEST_CASE("hierarchical sampling on a network: per ray N_c + N_f sorted samples whose intervals tile [t0, t1]") {
  NerfNetwork network(small_network());
  network.initialize(3);
  const MarchSettings march;  // the unit box
  const WarpSettings none;
  std::vector<SamplingRay> rays;
  std::vector<Vec3> dirs;
  nerds_test::Random rng(6);
  for (int r = 0; r < 12; ++r) {
    const Vec3 o = make_vec3(rng.uniformf(-0.5f, 1.5f), rng.uniformf(-0.5f, 1.5f), -1.f);
    const Vec3 d = normalize(make_vec3(0.5f, 0.5f, 0.5f) + make_vec3(rng.uniformf(-0.2f, 0.2f), 0.f, 0.f) - o);
    rays.push_back(sampling_ray(none, march, o, d));
    dirs.push_back(d);
  }
  rays.push_back(sampling_ray(none, march, make_vec3(3.f, 3.f, 3.f), make_vec3(1.f, 0.f, 0.f)));  // misses the box
  dirs.push_back(make_vec3(1.f, 0.f, 0.f));
  REQUIRE_FALSE(rays.back().hit);
  const int n = static_cast<int>(rays.size());
  const std::vector<float> radii(n, 0.f);

  for (const bool training : {false, true}) {
    SamplerSettings settings;
    settings.kind = "hierarchical";
    settings.coarse_samples = 16;
    settings.fine_samples = 24;
    NetworkWorkspace ws;
    HierarchicalScratch scratch;
    SampleBuffer samples;
    std::vector<int> begin(n), count(n);
    std::vector<unsigned char> is_fine;
    const SamplerJitter jitter{7, 3, 100};
    const int coarse = place_hierarchical_samples(network, settings, march.box_half, rays.data(), dirs.data(),
                                                  radii.data(), n, training ? &jitter : nullptr, ws, scratch, samples,
                                                  begin.data(), count.data(), &is_fine);
    CAPTURE(training);
    CHECK(coarse == (n - 1) * 16);
    REQUIRE(static_cast<int>(is_fine.size()) == samples.size());
    for (int r = 0; r < n; ++r) {
      CAPTURE(r);
      if (!rays[r].hit) {
        CHECK(count[r] == 0);
        continue;
      }
      REQUIRE(count[r] == 40);
      const float* t = samples.t.data() + begin[r];
      CHECK(ascending(t, count[r]));
      double span = 0.0;
      int fine = 0;
      for (int i = 0; i < count[r]; ++i) {
        CHECK(t[i] >= rays[r].t0);
        CHECK(t[i] <= rays[r].t1);
        CHECK(samples.dt[begin[r] + i] >= 0.f);
        span += samples.dt[begin[r] + i];
        fine += is_fine[begin[r] + i];
        // The network position is the sample's point on the ray, and the color sees the ray's direction.
        const Vec3 p = network_position(rays[r].origin + rays[r].dir * t[i], march.box_half);
        CHECK(samples.pos[3 * (begin[r] + i)] == doctest::Approx(p.x));
        CHECK(samples.dir[3 * (begin[r] + i) + 2] == doctest::Approx(dirs[r].z));
      }
      CHECK(span == doctest::Approx(rays[r].t1 - rays[r].t0).epsilon(1e-4));
      CHECK(fine == 24);
    }
  }
}

TEST_CASE("sampler module: the hierarchical probe gives N_c + N_f sorted distances inside [t0, t1]") {
  const TechniqueModule* module = nullptr;
  for (const TechniqueModule& m : technique_modules())
    if (m.name == "sampler") module = &m;
  REQUIRE(module != nullptr);
  ParamSet p = default_method_params();
  p.set("sampler.kind", std::string("hierarchical"));
  Dataset none;
  ModuleProbes probes = module->probes(p, none);
  REQUIRE(probes.size() == 1u);
  ModuleProbe& probe = *probes.front();
  CHECK(probe.input_dim() == 2 + 64);
  CHECK(probe.output_dim() == 64 + 128);
  const int n = 5;
  const std::vector<float> in = probe.example_inputs(n, 9);
  std::vector<float> out(static_cast<size_t>(n) * probe.output_dim());
  probe.forward(in.data(), n, out.data());
  for (int k = 0; k < n; ++k) {
    const float* x = in.data() + static_cast<size_t>(k) * probe.input_dim();
    const float* t = out.data() + static_cast<size_t>(k) * probe.output_dim();
    CAPTURE(k);
    CHECK(ascending(t, probe.output_dim()));
    CHECK(t[0] >= x[0]);
    CHECK(t[probe.output_dim() - 1] <= x[1]);
    // The strata whose weight is over half the largest (the bump's top) get at least twice
    // their share of evenly spread samples.
    float w_max = 0.f;
    for (int i = 0; i < 64; ++i) w_max = std::max(w_max, x[2 + i]);
    const float stratum = (x[1] - x[0]) / 64.f;
    int top_strata = 0, near_bump = 0;
    for (int i = 0; i < 64; ++i) top_strata += x[2 + i] >= 0.5f * w_max;
    for (int j = 0; j < probe.output_dim(); ++j) {
      const int i = std::clamp(static_cast<int>((t[j] - x[0]) / stratum), 0, 63);
      if (x[2 + i] >= 0.5f * w_max) ++near_bump;
    }
    CHECK(near_bump >= 2 * probe.output_dim() * top_strata / 64);
  }
}

TEST_CASE("sampler.kind=hierarchical trains on the small default scene, and renders and inspects with it") {
  nerds_test::TempFolder folder("hierarchical");
  make_small_default_scene(folder.str());
  EngineOptions o;
  o.data_dir = folder.str();
  Engine engine(o, small_hierarchical_params());
  double first = 0.0, last = 0.0;
  for (int i = 0; i < 60; ++i) {
    const StepStats s = engine.train_step();
    REQUIRE(std::isfinite(s.loss));
    CHECK(s.used_samples <= s.marched_samples);
    // Rays adapt to the batch: about batch_samples / (N_c + N_f) of them (early termination
    // only shortens rays, so never fewer).
    if (i > 0) CHECK(s.rays >= 8192 / 96);
    if (i < 5) first += s.loss / 5;
    if (i >= 55) last += s.loss / 5;
  }
  MESSAGE("hierarchical: mean loss of steps 1-5 " << first << ", of steps 56-60 " << last);
  CHECK(last < 0.7 * first);

  const Dataset test = engine.load_split("test");
  const Frame& f = test.frames.front();
  const float white[3] = {1.f, 1.f, 1.f};
  const RenderBuffers img = engine.render(f.pose, f.intrinsics, white);
  for (float v : img.rgb) REQUIRE(std::isfinite(v));
  double opacity = 0.0;
  for (float a : img.opacity) opacity += a / img.opacity.size();
  CHECK(opacity > 0.05);
  for (int s : img.samples) CHECK(s <= 32 + 96);

  // The center pixel's ray in the inspector: 32 coarse and 64 fine samples, sorted, and the
  // sum of their weights is the rendered opacity there (no early termination in the inspector).
  const int cx = f.intrinsics.width / 2, cy = f.intrinsics.height / 2;
  const std::vector<RaySample> ray = engine.inspect(f.pose, f.intrinsics, cx + 0.5f, cy + 0.5f);  // its center
  REQUIRE(ray.size() == 96u);
  int coarse = 0, fine = 0;
  double weight = 0.0;
  for (size_t i = 0; i < ray.size(); ++i) {
    if (i > 0) CHECK(ray[i].t >= ray[i - 1].t);
    coarse += ray[i].pass == SamplePass::Coarse;
    fine += ray[i].pass == SamplePass::Fine;
    weight += ray[i].weight;
  }
  CHECK(coarse == 32);
  CHECK(fine == 64);
  const size_t center = static_cast<size_t>(cy) * f.intrinsics.width + cx;
  CHECK(weight == doctest::Approx(img.opacity[center]).epsilon(2e-3));
}

TEST_CASE("the CUDA backend does not support the hierarchical sampler, and says so (--device auto falls back)") {
  nerds_test::TempFolder folder("hierarchical_cuda");
  make_small_default_scene(folder.str());
  const auto data = std::make_shared<Dataset>(load_dataset(folder.str()));
  const TrainConfig config = make_train_config(small_hierarchical_params(), *data);
  const std::string why = cuda_backend_supports(config);
  // With the CUDA backend built, its reason names the parameter; without it, the build says so.
  CHECK_MESSAGE((why.find("sampler.kind=hierarchical") != std::string::npos ||
                 why.find("no CUDA backend") != std::string::npos),
                why);
  // The same configuration without the sampler is one the CUDA backend runs (where it is built).
  TrainConfig marched = config;
  marched.sampler.kind = kMarchSamplerKind;
  const std::string marched_why = cuda_backend_supports(marched);
  CHECK_MESSAGE((marched_why.empty() || marched_why.find("no CUDA backend") != std::string::npos), marched_why);
}
