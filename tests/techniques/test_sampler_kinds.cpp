// The sampler registry (renderer/techniques/samplers/sampler_kinds.cpp), checked for every
// kind it lists without naming any: sampler.kind offers exactly those kinds; each configures
// and builds from the default parameters and, on a tiny network and a fresh occupancy grid
// (every cell occupied), places a training batch's samples ray after ray, inside each ray's
// [t0, t1] and sorted, with the fixed counts it announces when it announces them.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/samplers/occupancy_grid.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

using namespace nerds;

TEST_CASE("sampler kinds: sampler.kind offers exactly the registered kinds, the first by default") {
  const ParamSet p = default_method_params();
  const ParamEntry& kind = p.entry("sampler.kind");
  std::vector<std::string> names;
  for (const RaySamplerKind& k : sampler_kinds()) names.push_back(k.name);
  REQUIRE_FALSE(names.empty());
  CHECK(kind.spec.choices == names);
  CHECK(p.get_string("sampler.kind") == names.front());
  CHECK(SamplerSettings().kind == names.front());
  CHECK_THROWS_WITH_AS(sampler_kind("no-such-kind"), doctest::Contains(names.front().c_str()), std::invalid_argument);
}

TEST_CASE("sampler kinds: every kind builds and places sorted samples inside each ray's [t0, t1]") {
  Dataset data;
  data.aabb_scale = 1.f;
  for (const RaySamplerKind& k : sampler_kinds()) {
    CAPTURE(k.name);
    CHECK(std::string(k.doc).size() > 0);
    CHECK(std::string(k.paper).size() > 0);
    ParamSet p = default_method_params();
    p.set("sampler.kind", std::string(k.name));
    p.set("sampler.coarse_samples", int64_t{8});
    p.set("sampler.fine_samples", int64_t{8});
    if (p.has("encoding.log2_table_size")) p.set("encoding.log2_table_size", int64_t{12});
    TrainConfig config = make_train_config(p, data);
    CHECK(config.sampler.kind == k.name);
    config.occupancy.resolution = 16;
    const std::unique_ptr<RaySampler> sampler = make_ray_sampler(config.sampler);
    REQUIRE(sampler);

    NerfNetwork network(config.network);
    network.initialize(5);
    const OccupancyGrid grid(config.occupancy);  // fresh: every cell occupied

    // Rays from around the box towards its middle, and one that misses it.
    const MarchSettings& ms = config.march;
    std::vector<SamplingRay> rays;
    std::vector<Vec3> dirs;
    Pcg32 rng(11, 3);
    for (int r = 0; r < 10; ++r) {
      const Vec3 o = make_vec3(4.f * rng.next_float() - 2.f, 4.f * rng.next_float() - 2.f, -3.f);
      const Vec3 d = normalize(make_vec3(0.2f * rng.next_float(), 0.2f * rng.next_float(), 0.f) - o);
      rays.push_back(sampling_ray(config.warp, ms, o, d));
      dirs.push_back(d);
    }
    rays.push_back(sampling_ray(config.warp, ms, make_vec3(30.f, 30.f, 30.f), make_vec3(1.f, 0.f, 0.f)));
    dirs.push_back(make_vec3(1.f, 0.f, 0.f));
    REQUIRE_FALSE(rays.back().hit);
    const int n = static_cast<int>(rays.size());
    const std::vector<float> radii(n, 0.f), start_jitter(n, 0.5f);
    const RayBatch batch{rays.data(), dirs.data(), radii.data(), start_jitter.data(), n};

    NetworkWorkspace ws;
    std::unique_ptr<SamplerScratch> scratch;
    SampleBuffer samples;
    std::vector<int> begin(n, -1), count(n, -1);
    const int extra = sampler->place_training_samples(network, grid.view(), ms, batch, SamplerJitter{1, 2, 3}, ws,
                                                      scratch, samples, begin.data(), count.data());
    CHECK(extra >= 0);
    const std::optional<SamplesPerRay> per_ray = sampler->initial_samples_per_ray();
    int hits = 0, next = 0;
    for (int r = 0; r < n; ++r) {
      CAPTURE(r);
      CHECK(begin[r] == next);  // ray after ray, no gaps
      next = begin[r] + count[r];
      if (!rays[r].hit) {
        CHECK(count[r] == 0);
        continue;
      }
      ++hits;
      CHECK(count[r] > 0);
      if (per_ray) CHECK(count[r] == static_cast<int>(per_ray->used));
      const float* t = samples.t.data() + begin[r];
      for (int i = 0; i < count[r]; ++i) {
        CHECK(t[i] >= rays[r].t0);
        CHECK(t[i] <= rays[r].t1);
        CHECK(samples.dt[begin[r] + i] > 0.f);
        if (i > 0) CHECK(t[i] >= t[i - 1]);
      }
    }
    CHECK(hits >= 5);
    CHECK(next == samples.size());
  }
}
