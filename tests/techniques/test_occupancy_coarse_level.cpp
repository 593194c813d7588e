// The occupancy grid's coarse level (OccupancyGrid builds it, march_ray jumps over its empty
// blocks): marching with it must emit exactly the samples of marching the fine bits alone.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "renderer/math/occupancy.h"
#include "renderer/math/ray_march.h"
#include "renderer/techniques/samplers/occupancy_grid.h"
#include "tests/test_support/numeric.h"

using nerds::make_vec3;
using nerds::MarchSettings;
using nerds::OccupancyConfig;
using nerds::OccupancyGrid;
using nerds::OccupancyView;
using nerds::Vec3;
using nerds_test::Random;

namespace {

struct Sample {
  float t, dt;
  Vec3 p;
};

// Marches a ray whole, `wave` samples per call as wavefront rendering resumes it.
std::vector<Sample> march(const MarchSettings& ms, const OccupancyView& grid, Vec3 o, Vec3 d, float jitter, int wave) {
  std::vector<Sample> out;
  float t0 = 0.f, t1 = 0.f;
  if (!nerds::march_bounds(ms, o, d, &t0, &t1)) return out;
  float t = nerds::march_start(ms, t0, jitter);
  while (t < t1 && static_cast<int>(out.size()) < ms.max_samples) {
    const int got = nerds::march_ray(ms, grid, o, d, &t, t1, wave, [&](float ts, float dts, Vec3 p) {
      out.push_back({ts, dts, p});
    });
    if (got == 0) break;
  }
  return out;
}

// The grid's values: a few solid boxes and balls (most of the space empty, as in a trained
// synthetic scene) plus isolated random cells, in every cascade.
OccupancyGrid scene_grid(int resolution, int cascades, uint64_t seed, double scattered) {
  OccupancyConfig config;
  config.resolution = resolution;
  config.cascades = cascades;
  OccupancyGrid grid(config);
  Random rng(seed);
  struct Ball {
    Vec3 c;
    float r;
  };
  std::vector<Ball> balls;
  for (int i = 0; i < 6; ++i)
    balls.push_back({make_vec3(rng.uniformf(0.2f, 0.8f), rng.uniformf(0.2f, 0.8f), rng.uniformf(0.2f, 0.8f)),
                     rng.uniformf(0.03f, 0.12f)});
  const size_t per_cascade = static_cast<size_t>(resolution) * resolution * resolution;
  std::vector<float>& values = grid.values();
  for (size_t i = 0; i < values.size(); ++i) {
    const int c = static_cast<int>(i / per_cascade);
    const Vec3 p = nerds::occupancy_cell_position(static_cast<uint32_t>(i % per_cascade), c, resolution, 0.5f, 0.5f, 0.5f);
    bool solid = rng.uniform() < scattered;
    for (const Ball& b : balls) solid = solid || nerds::length(p - b.c) < b.r;
    values[i] = solid ? 1.f : 0.f;
  }
  grid.rebuild_bits();
  return grid;
}

// Rays from outside the box (3 box sizes away, or `far_origin` for every other ray) aimed at
// a random point of it, a quarter starting inside it; with `grazing`, directions close to an
// axis, so the ray runs nearly along cell faces and its points pass within rounding of them.
void check_same_samples(const OccupancyGrid& grid, const MarchSettings& ms, float box_extent, uint64_t seed,
                        bool grazing = false, float far_origin = 0.f, size_t min_samples = 10000) {
  const OccupancyView coarse = grid.view();
  REQUIRE(coarse.coarse_bits != nullptr);
  OccupancyView fine = coarse;
  fine.coarse_bits = nullptr;
  Random rng(seed);
  size_t total = 0;
  for (int r = 0; r < 3000; ++r) {
    const Vec3 target = make_vec3(rng.uniformf(0.5f - box_extent, 0.5f + box_extent),
                                  rng.uniformf(0.5f - box_extent, 0.5f + box_extent),
                                  rng.uniformf(0.5f - box_extent, 0.5f + box_extent));
    const float far = r % 4 == 0 ? 0.f : (far_origin > 0.f && r % 2 == 1 ? far_origin : 3.f * box_extent);
    Vec3 o = make_vec3(rng.uniformf(0.5f - far, 0.5f + far), rng.uniformf(0.5f - far, 0.5f + far),
                       rng.uniformf(0.5f - far, 0.5f + far));
    Vec3 d = target - o;
    if (grazing) {
      const int axis = r % 3;
      for (int a = 0; a < 3; ++a) d[a] = a == axis ? (r % 2 ? 1.f : -1.f) : rng.uniformf(-0.02f, 0.02f);
      o = target - d * (far + 1.f);
    }
    if (r % 5 == 2) {
      // Origin on block faces (multiples of 1/16, exact in float) and a direction with
      // components 0, +-0.6, +-0.8: the ray's points land exactly on faces.
      o = make_vec3(std::floor(o.x * 16.f) / 16.f, std::floor(o.y * 16.f) / 16.f, std::floor(o.z * 16.f) / 16.f);
      const float sx = r % 2 ? 0.6f : -0.6f, sy = r % 3 ? 0.8f : -0.8f;
      d = r % 10 == 2 ? make_vec3(sx, sy, 0.f) : make_vec3(0.f, sx, sy);
    }
    if (r % 50 == 1) d = make_vec3(0.f, d.y, d.z);  // a ray in a plane of cell faces' normals
    if (nerds::length(d) < 1e-3f) continue;
    d = nerds::normalize(d);
    const float jitter = rng.uniformf(0.f, 1.f);
    const int wave = r % 3 == 0 ? 1 << 20 : 1 + r % 7;
    const std::vector<Sample> a = march(ms, fine, o, d, jitter, wave);
    const std::vector<Sample> b = march(ms, coarse, o, d, jitter, wave);
    CAPTURE(r);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].t == b[i].t);
      CHECK(a[i].dt == b[i].dt);
      CHECK(a[i].p.x == b[i].p.x);
      CHECK(a[i].p.y == b[i].p.y);
      CHECK(a[i].p.z == b[i].p.z);
      CHECK(nerds::occupancy_test(fine, a[i].p));
    }
    total += a.size();
  }
  CHECK(total > min_samples);  // the rays did cross occupied space
}

}  // namespace

TEST_CASE("occupancy coarse level: a block is occupied exactly when one of its cells is") {
  const OccupancyGrid grid = scene_grid(64, 2, 3, 0.002);
  const OccupancyView v = grid.view();
  REQUIRE(v.coarse_bits != nullptr);
  const int res = v.resolution, s = v.coarse_shift, cres = res >> s;
  REQUIRE(s == nerds::kOccupancyCoarseShift);
  std::vector<uint8_t> any(static_cast<size_t>(cres) * cres * cres * v.cascades, 0);
  const size_t per_cascade = static_cast<size_t>(res) * res * res;
  for (size_t i = 0; i < per_cascade * v.cascades; ++i) {
    if (!grid.is_cell_occupied(i)) continue;
    const size_t c = i / per_cascade, cell = i % per_cascade;
    const size_t x = (cell % res) >> s, y = ((cell / res) % res) >> s, z = (cell / (static_cast<size_t>(res) * res)) >> s;
    any[c * cres * cres * cres + x + cres * (y + static_cast<size_t>(cres) * z)] = 1;
  }
  int empty_blocks = 0;
  for (size_t b = 0; b < any.size(); ++b) {
    CHECK(nerds::occupancy_bit(v.coarse_bits, b) == (any[b] != 0));
    empty_blocks += any[b] == 0;
  }
  CHECK(empty_blocks > 0);
  // A fresh grid is all occupied, its coarse level too.
  OccupancyConfig config;
  config.resolution = 32;
  const OccupancyGrid fresh(config);
  for (int b = 0; b < 4 * 4 * 4; ++b) CHECK(nerds::occupancy_bit(fresh.view().coarse_bits, b));
}

TEST_CASE("occupancy coarse level: marching with it emits the same samples as the fine bits alone") {
  SUBCASE("constant steps, one cascade (synthetic scenes)") {
    MarchSettings ms;  // sqrt(3)/1024 steps
    check_same_samples(scene_grid(128, 1, 5, 0.01), ms, 0.5f, 11);
  }
  SUBCASE("constant steps, rays grazing cell faces from cameras up to 8 units away") {
    MarchSettings ms;
    check_same_samples(scene_grid(128, 1, 8, 0.01), ms, 0.5f, 14, true, 8.f);
    check_same_samples(scene_grid(128, 1, 9, 0.01), ms, 0.5f, 15, false, 8.f);
  }
  SUBCASE("constant steps, sparse random cells only") {
    MarchSettings ms;
    check_same_samples(scene_grid(64, 1, 6, 0.03), ms, 0.5f, 12);
  }
  SUBCASE("growing steps (cone_angle > 0) through three cascades") {
    MarchSettings ms;
    ms.box_half = 2.f;
    ms.cone_angle = 1.f / 256.f;
    ms.dt_min = 1.7320508f / 1024.f;
    ms.dt_max = 4.f * 1.7320508f / 128.f;
    check_same_samples(scene_grid(64, 3, 7, 0.005), ms, 2.f, 13);
    check_same_samples(scene_grid(64, 3, 10, 0.005), ms, 2.f, 16, true, 16.f, 1000);
  }
}
