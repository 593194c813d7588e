// Ray/box intersection, the occupancy-grid cascades and the ray marcher
// (renderer/math/ray_box.h, occupancy.h, ray_march.h).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "renderer/math/occupancy.h"
#include "renderer/math/ray_box.h"
#include "renderer/math/ray_march.h"
#include "tests/test_support/numeric.h"

using nerds::make_vec3;
using nerds::MarchSettings;
using nerds::OccupancyView;
using nerds::Vec3;
using nerds_test::Random;

namespace {

const Vec3 kLo = make_vec3(0.f, 0.f, 0.f);
const Vec3 kHi = make_vec3(1.f, 1.f, 1.f);

// A one-cascade bit grid of resolution^3 cells.
struct BitGrid {
  int resolution;
  std::vector<uint8_t> bits;
  BitGrid(int res, bool occupied) : resolution(res), bits((static_cast<size_t>(res) * res * res + 7) / 8, occupied ? 0xff : 0) {}
  void set(int x, int y, int z) {
    const size_t i = static_cast<size_t>(x) + resolution * (static_cast<size_t>(y) + resolution * z);
    bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
  }
  OccupancyView view() const {
    OccupancyView v;
    v.bits = bits.data();
    v.resolution = resolution;
    v.cascades = 1;
    return v;
  }
};

struct Sample {
  float t, dt;
  Vec3 p;
};

std::vector<Sample> march_all(const MarchSettings& ms, const OccupancyView& grid, Vec3 o, Vec3 d, int max_count = 1 << 20) {
  std::vector<Sample> out;
  float t0 = 0.f, t1 = 0.f;
  if (!nerds::march_bounds(ms, o, d, &t0, &t1)) return out;
  float t = nerds::march_start(ms, t0, 0.5f);
  nerds::march_ray(ms, grid, o, d, &t, t1, max_count, [&](float ts, float dts, Vec3 p) { out.push_back({ts, dts, p}); });
  return out;
}

MarchSettings constant_steps(float dt) {
  MarchSettings ms;
  ms.dt_min = ms.dt_max = dt;
  ms.cone_angle = 0.f;
  ms.max_samples = 100000;
  ms.box_half = 0.5f;
  return ms;
}

}  // namespace

TEST_CASE("ray_box: hits, misses, origins inside, rays pointing away") {
  float t0 = 0.f, t1 = 0.f;
  // Straight through along +x.
  REQUIRE(nerds::ray_box(make_vec3(-1.f, 0.5f, 0.5f), make_vec3(1.f, 0.f, 0.f), kLo, kHi, &t0, &t1));
  CHECK(t0 == doctest::Approx(1.f));
  CHECK(t1 == doctest::Approx(2.f));
  // Along -z from above.
  REQUIRE(nerds::ray_box(make_vec3(0.3f, 0.7f, 3.f), make_vec3(0.f, 0.f, -1.f), kLo, kHi, &t0, &t1));
  CHECK(t0 == doctest::Approx(2.f));
  CHECK(t1 == doctest::Approx(3.f));
  // Along the main diagonal: enters at the corner (0,0,0), leaves at (1,1,1).
  const float s = 1.f / std::sqrt(3.f);
  REQUIRE(nerds::ray_box(make_vec3(-1.f, -1.f, -1.f), make_vec3(s, s, s), kLo, kHi, &t0, &t1));
  CHECK(t0 == doctest::Approx(std::sqrt(3.f)));
  CHECK(t1 == doctest::Approx(2.f * std::sqrt(3.f)));
  // Origin inside: the overlap starts at t = 0.
  REQUIRE(nerds::ray_box(make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 1.f, 0.f), kLo, kHi, &t0, &t1));
  CHECK(t0 == 0.f);
  CHECK(t1 == doctest::Approx(0.5f));
  // Misses: passing beside the box, pointing away from it, grazing past an edge.
  CHECK_FALSE(nerds::ray_box(make_vec3(-1.f, 2.f, 0.5f), make_vec3(1.f, 0.f, 0.f), kLo, kHi, &t0, &t1));
  CHECK_FALSE(nerds::ray_box(make_vec3(-1.f, 0.5f, 0.5f), make_vec3(-1.f, 0.f, 0.f), kLo, kHi, &t0, &t1));
  CHECK_FALSE(nerds::ray_box(make_vec3(-1.f, 0.5f, 0.5f), nerds::normalize(make_vec3(1.f, 1.f, 0.f)), kLo, kHi, &t0,
                             &t1));  // leaves the slab y <= 1 at x = -0.5, before entering x >= 0
  // A box elsewhere (the general slab test, not only the unit cube).
  REQUIRE(nerds::ray_box(make_vec3(0.f, 0.f, 0.f), nerds::normalize(make_vec3(1.f, 1.f, 1.f)), make_vec3(2.f, 2.f, 2.f),
                         make_vec3(3.f, 4.f, 5.f), &t0, &t1));
  CHECK(t0 == doctest::Approx(2.f * std::sqrt(3.f)));
  CHECK(t1 == doctest::Approx(3.f * std::sqrt(3.f)));
  // Random rays from outside aimed at a random point inside always hit, and the overlap
  // contains that point.
  Random rng(2);
  for (int i = 0; i < 1000; ++i) {
    const Vec3 target = make_vec3(rng.uniformf(0.05f, 0.95f), rng.uniformf(0.05f, 0.95f), rng.uniformf(0.05f, 0.95f));
    const Vec3 o = make_vec3(rng.uniformf(-3.f, 4.f), rng.uniformf(-3.f, 4.f), rng.uniformf(-3.f, 4.f));
    const Vec3 d = nerds::normalize(target - o);
    const float dist = nerds::length(target - o);
    REQUIRE(nerds::ray_box(o, d, kLo, kHi, &t0, &t1));
    CHECK(t0 <= dist + 1e-5f);
    CHECK(t1 >= dist - 1e-5f);
  }
}

TEST_CASE("march_start: offset in steps of the first dt from the box entry") {
  MarchSettings ms = constant_steps(0.01f);
  CHECK(nerds::march_start(ms, 0.3f, 0.f) == 0.3f);
  CHECK(nerds::march_start(ms, 0.3f, 0.5f) == 0.3f + 0.5f * 0.01f);
  CHECK(nerds::march_start(ms, 0.3f, 0.25f) == 0.3f + 0.25f * 0.01f);
  // Cone tracing: the first step is the one at t0, dt = clamp(t0 * cone_angle, dt_min, dt_max).
  ms.dt_min = 0.001f;
  ms.dt_max = 0.1f;
  ms.cone_angle = 0.01f;
  CHECK(nerds::march_start(ms, 2.f, 0.5f) == 2.f + 0.5f * (2.f * 0.01f));
  CHECK(nerds::march_start(ms, 0.05f, 0.5f) == 0.05f + 0.5f * 0.001f);  // clamped below
  CHECK(nerds::march_start(ms, 20.f, 0.5f) == 20.f + 0.5f * 0.1f);      // clamped above
  // It is the first sample the marcher emits through an occupied grid.
  const BitGrid grid(16, true);
  const Vec3 o = make_vec3(-0.7f, 0.2f, 1.3f);
  const Vec3 d = nerds::normalize(make_vec3(1.f, 0.45f, -0.8f));
  float t0 = 0.f, t1 = 0.f;
  REQUIRE(nerds::march_bounds(ms, o, d, &t0, &t1));
  float t = nerds::march_start(ms, t0, 0.7f);
  float first = -1.f;
  nerds::march_ray(ms, grid.view(), o, d, &t, t1, 1, [&](float ts, float, Vec3) { first = ts; });
  CHECK(first == t0 + 0.7f * nerds::march_dt(ms, t0));
}

TEST_CASE("march_ray: all-occupied grid emits evenly spaced samples inside the box") {
  const BitGrid grid(16, true);
  const float dt = 0.01f;
  const MarchSettings ms = constant_steps(dt);
  const Vec3 o = make_vec3(-0.7f, 0.2f, 1.3f);
  const Vec3 d = nerds::normalize(make_vec3(1.f, 0.45f, -0.8f));
  float t0 = 0.f, t1 = 0.f;
  REQUIRE(nerds::march_bounds(ms, o, d, &t0, &t1));
  const std::vector<Sample> s = march_all(ms, grid.view(), o, d);
  // Lattice t0 + dt/2 + k dt for every point before t1.
  const int expected = static_cast<int>(std::ceil((t1 - (t0 + 0.5f * dt)) / dt));
  CHECK(static_cast<int>(s.size()) >= expected - 1);
  CHECK(static_cast<int>(s.size()) <= expected + 1);
  REQUIRE(s.size() > 10);
  CHECK(s.front().t == doctest::Approx(t0 + 0.5f * dt));
  for (size_t i = 0; i < s.size(); ++i) {
    CHECK(s[i].dt == dt);
    CHECK(s[i].t < t1);
    if (i > 0) CHECK(s[i].t - s[i - 1].t == doctest::Approx(dt).epsilon(1e-3));
    for (int a = 0; a < 3; ++a) {
      CHECK(s[i].p[a] >= -1e-5f);
      CHECK(s[i].p[a] <= 1.f + 1e-5f);
      CHECK(s[i].p[a] == doctest::Approx(o[a] + d[a] * s[i].t).epsilon(1e-5));
    }
  }
  // Marching in pieces of at most 5 samples resumes where it stopped: the same samples.
  float t = t0 + 0.5f * dt;
  std::vector<Sample> pieces;
  for (int guard = 0; guard < 10000 && t < t1; ++guard) {
    const int got = nerds::march_ray(ms, grid.view(), o, d, &t, t1, 5, [&](float ts, float dts, Vec3 p) {
      pieces.push_back({ts, dts, p});
    });
    CHECK(got <= 5);
  }
  REQUIRE(pieces.size() == s.size());
  for (size_t i = 0; i < s.size(); ++i) CHECK(pieces[i].t == s[i].t);
  // max_count caps the samples of one call.
  CHECK(march_all(ms, grid.view(), o, d, 7).size() == 7u);
}

TEST_CASE("march_ray: an all-empty grid emits nothing and reaches the end of the box") {
  const BitGrid grid(32, false);
  const MarchSettings ms = constant_steps(0.01f);
  const Vec3 o = make_vec3(-0.5f, 0.4f, 0.45f);
  const Vec3 d = nerds::normalize(make_vec3(1.f, 0.2f, 0.1f));
  float t0 = 0.f, t1 = 0.f;
  REQUIRE(nerds::march_bounds(ms, o, d, &t0, &t1));
  float t = t0 + 0.005f;
  int emitted = 0;
  const int n = nerds::march_ray(ms, grid.view(), o, d, &t, t1, 1000, [&](float, float, Vec3) { ++emitted; });
  CHECK(n == 0);
  CHECK(emitted == 0);
  CHECK(t >= t1);
  // The paper's default step on the same ray also skips everything.
  MarchSettings paper;
  CHECK(march_all(paper, grid.view(), o, d).empty());
}

TEST_CASE("march_ray: one occupied cell gets samples only inside it, on the step lattice") {
  const int res = 8;
  BitGrid grid(res, false);
  grid.set(3, 4, 5);  // cell [0.375, 0.5) x [0.5, 0.625) x [0.625, 0.75)
  const float dt = 0.01f;
  const MarchSettings ms = constant_steps(dt);
  auto in_cell = [&](Vec3 p) {
    return p.x >= 3.f / res - 1e-5f && p.x <= 4.f / res + 1e-5f && p.y >= 4.f / res - 1e-5f &&
           p.y <= 5.f / res + 1e-5f && p.z >= 5.f / res - 1e-5f && p.z <= 6.f / res + 1e-5f;
  };

  SUBCASE("axis-aligned ray through the row of cells") {
    const float step = 0.011f;
    const MarchSettings ms11 = constant_steps(step);
    const Vec3 o = make_vec3(-0.5f, 4.5f / res, 5.5f / res);
    const Vec3 d = make_vec3(1.f, 0.f, 0.f);
    const std::vector<Sample> s = march_all(ms11, grid.view(), o, d);
    // Lattice points x = t - 0.5 = 0.0055 + 0.011 k; those in [0.375, 0.5) are k = 34..44
    // (x = 0.3795 ... 0.4895, at least 4.5e-3 from a face): 11 samples.
    CHECK(s.size() == 11u);
    for (const Sample& x : s) {
      CHECK(in_cell(x.p));
      CHECK(x.dt == step);
    }
    REQUIRE(!s.empty());
    CHECK(s.front().p.x == doctest::Approx(0.3795f).epsilon(1e-4));
    CHECK(s.back().p.x == doctest::Approx(0.4895f).epsilon(1e-4));
  }
  SUBCASE("oblique rays through random points of the cell") {
    Random rng(4);
    for (int trial = 0; trial < 200; ++trial) {
      const Vec3 inside = make_vec3(rng.uniformf(3.1f, 3.9f) / res, rng.uniformf(4.1f, 4.9f) / res,
                                    rng.uniformf(5.1f, 5.9f) / res);
      const Vec3 o = make_vec3(rng.uniformf(-2.f, 3.f), rng.uniformf(-2.f, 3.f), -1.5f);
      const Vec3 d = nerds::normalize(inside - o);
      const std::vector<Sample> s = march_all(ms, grid.view(), o, d);
      float t0 = 0.f, t1 = 0.f;
      REQUIRE(nerds::march_bounds(ms, o, d, &t0, &t1));
      // Lattice points whose position lies in the cell, computed in double; points within
      // 5e-4 of a face may go either way (the marcher's t accumulates float rounding over a
      // few hundred steps, up to ~1e-4), so they are counted separately.
      int sure = 0, maybe = 0;
      const double start = t0 + 0.5 * dt;
      for (int k = 0;; ++k) {
        const double t = start + k * static_cast<double>(dt);
        if (t >= t1) break;
        double margin = 1.0;
        bool inside_cell = true;
        const int lo[3] = {3, 4, 5};
        for (int a = 0; a < 3; ++a) {
          const double p = o[a] + d[a] * t;
          const double lo_face = lo[a] / static_cast<double>(res), hi_face = (lo[a] + 1) / static_cast<double>(res);
          inside_cell = inside_cell && p >= lo_face && p < hi_face;
          margin = std::fmin(margin, std::fmin(std::fabs(p - lo_face), std::fabs(p - hi_face)));
        }
        if (margin < 5e-4) ++maybe;
        else if (inside_cell) ++sure;
      }
      CAPTURE(trial);
      CHECK(static_cast<int>(s.size()) >= sure);
      CHECK(static_cast<int>(s.size()) <= sure + maybe);
      for (const Sample& x : s) CHECK(in_cell(x.p));
      // Skipping empty space keeps the samples on the lattice t0 + dt/2 + k dt (up to the
      // accumulated rounding, < 2e-4 = 0.02 steps; a jump to the exact cell exit would land
      // at an arbitrary fraction of a step).
      for (const Sample& x : s) {
        const double k = (x.t - start) / dt;
        CHECK(std::fabs(k - std::round(k)) < 0.05);
      }
    }
  }
}

TEST_CASE("occupancy cascades: 0 inside the unit cube, coarser ones further out") {
  Random rng(6);
  for (int i = 0; i < 1000; ++i) {
    const Vec3 p = make_vec3(rng.uniformf(0.001f, 0.999f), rng.uniformf(0.001f, 0.999f), rng.uniformf(0.001f, 0.999f));
    CHECK(nerds::occupancy_cascade(p, 5) == 0);
  }
  // Cascade c covers 0.5 +- 2^c / 2: a point at Chebyshev distance m from the center is in
  // the first cascade with 2^c / 2 > m.
  struct Case {
    Vec3 p;
    int cascade;
  };
  const Case cases[] = {
      {make_vec3(0.5f, 0.5f, 0.5f), 0},    {make_vec3(1.2f, 0.5f, 0.5f), 1},   {make_vec3(0.5f, -0.4f, 0.5f), 1},
      {make_vec3(2.f, 0.5f, 0.5f), 2},     {make_vec3(0.5f, 0.5f, -1.4f), 2},  {make_vec3(3.4f, -3.f, 0.f), 3},
      {make_vec3(0.5f, 8.4f, 0.5f), 4},
  };
  for (const Case& c : cases) {
    CAPTURE(c.p.x);
    CAPTURE(c.p.y);
    CAPTURE(c.p.z);
    CHECK(nerds::occupancy_cascade(c.p, 5) == c.cascade);
  }
  // Clamped to the coarsest cascade there is.
  CHECK(nerds::occupancy_cascade(make_vec3(100.f, 0.5f, 0.5f), 5) == 4);
  CHECK(nerds::occupancy_cascade(make_vec3(2.f, 0.5f, 0.5f), 1) == 0);
  // The chosen cascade always contains the point, and the next finer one does not.
  for (int i = 0; i < 2000; ++i) {
    const Vec3 p = make_vec3(rng.uniformf(-7.f, 8.f), rng.uniformf(-7.f, 8.f), rng.uniformf(-7.f, 8.f));
    const int c = nerds::occupancy_cascade(p, 8);
    const float m = std::fmax(std::fmax(std::fabs(p.x - 0.5f), std::fabs(p.y - 0.5f)), std::fabs(p.z - 0.5f));
    CHECK(m <= 0.5f * static_cast<float>(1 << c));
    if (c > 0) CHECK(m >= 0.5f * static_cast<float>(1 << (c - 1)));
  }
  // Cell centers map back to their cell, in every cascade.
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 500; ++i) {
      const uint32_t cell = static_cast<uint32_t>(rng.index(16 * 16 * 16));
      const Vec3 p = nerds::occupancy_cell_position(cell, c, 16, 0.5f, 0.5f, 0.5f);
      CHECK(nerds::occupancy_cell(p, c, 16) == cell);
    }
}
