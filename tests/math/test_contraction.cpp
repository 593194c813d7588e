// Mip-NeRF 360's scene contraction (renderer/math/contraction.h, Eq. 10) for both norms: the
// identity inside the unit ball, continuous at its edge, far points onto the radius-2 sphere,
// its Jacobian against finite differences, the VJP as J^T and the Gaussian's linearised
// variance; and the marcher's steps through contracted space (contracted_march.h): sorted,
// inside the ray's range, uniform inside the ball and in disparity far away, and only where
// the occupancy grid is occupied.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "renderer/math/contracted_march.h"
#include "renderer/math/contraction.h"
#include "tests/test_support/numeric.h"
#include "tests/test_support/random_direction.h"
#include "tests/test_support/contract_norms.h"

using nerds::ContractJacobian;
using nerds::ContractNorm;
using nerds::ContractWarp;
using nerds::make_vec3;
using nerds::MarchSettings;
using nerds::OccupancyView;
using nerds::Vec3;
using nerds_test::Random;
using nerds_test::random_direction;

namespace {

using nerds_test::kContractNorms;
using nerds_test::contract_norm_name;


// A random point at norm r (in the given norm).
Vec3 point_at_norm(Random& rng, ContractNorm n, float r) {
  const Vec3 d = random_direction(rng);
  return d * (r / nerds::contraction_norm(n, d));
}

Vec3 axis(int a) { return make_vec3(a == 0 ? 1.f : 0.f, a == 1 ? 1.f : 0.f, a == 2 ? 1.f : 0.f); }

}  // namespace

TEST_CASE("contraction is the identity inside the unit ball, for both norms") {
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    Random rng(1);
    for (int i = 0; i < 200; ++i) {
      const Vec3 x = point_at_norm(rng, n, rng.uniformf(0.f, 1.f));
      const Vec3 y = nerds::contract(n, x);
      CHECK(y.x == x.x);
      CHECK(y.y == x.y);
      CHECK(y.z == x.z);
      const ContractJacobian j = nerds::contract_jacobian(n, x);
      CHECK(j.a == 1.f);
      CHECK(j.c == 0.f);
    }
  }
}

TEST_CASE("contraction is continuous at the unit ball's edge and maps far points onto the radius-2 sphere") {
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    Random rng(2);
    for (int i = 0; i < 100; ++i) {
      const Vec3 d = point_at_norm(rng, n, 1.f);
      const Vec3 inside = nerds::contract(n, d * (1.f - 1e-4f)), outside = nerds::contract(n, d * (1.f + 1e-4f));
      CHECK(nerds::length(outside - inside) < 1e-3f);
      CHECK(nerds::contraction_norm(n, outside) == doctest::Approx(1.f).epsilon(1e-3));
      // Beyond the ball the norm becomes 2 - 1/r, the direction stays: the point at infinity
      // lands on the radius-2 sphere (within 1/r of it).
      for (float r : {1.5f, 10.f, 1e3f, 1e6f}) {
        const Vec3 y = nerds::contract(n, d * r);
        CHECK(nerds::contraction_norm(n, y) == doctest::Approx(2.f - 1.f / r).epsilon(1e-5));
        CHECK(nerds::dot(nerds::normalize(y), nerds::normalize(d)) == doctest::Approx(1.f).epsilon(1e-5));
        CHECK(nerds::contraction_norm(n, y) < 2.f);
      }
    }
  }
}

TEST_CASE("the contraction's Jacobian matches finite differences, its VJP is J^T, its Gaussian J Sigma J^T") {
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    Random rng(3);
    for (int i = 0; i < 100; ++i) {
      // Inside and out to 8 radii, away from the edge (and, for L-infinity, from the edges of
      // its cube where the largest coordinate changes hands and the norm has no derivative).
      const float r = i % 2 == 0 ? rng.uniformf(0.05f, 0.9f) : rng.uniformf(1.2f, 8.f);
      Vec3 x = point_at_norm(rng, n, r);
      if (n == ContractNorm::Linf) {
        const float ax = std::fabs(x.x), ay = std::fabs(x.y), az = std::fabs(x.z);
        const float top = std::max(ax, std::max(ay, az));
        const float second = ax == top ? std::max(ay, az) : (ay == top ? std::max(ax, az) : std::max(ax, ay));
        if (top - second < 0.05f * top) continue;
      }
      CAPTURE(x.x);
      CAPTURE(x.y);
      CAPTURE(x.z);
      const ContractJacobian j = nerds::contract_jacobian(n, x);
      const float h = 1e-2f * std::max(1.f, r);
      Vec3 column[3];
      for (int a = 0; a < 3; ++a) {
        // J e_a against the central difference (Richardson-extrapolated) of each output.
        column[a] = nerds::contract_jvp(j, axis(a));
        for (int b = 0; b < 3; ++b) {
          Vec3 xv = x;
          const double numeric = nerds_test::richardson_difference(
              [&](float v) { xv[a] = v; }, [&] { return static_cast<double>(nerds::contract(n, xv)[b]); }, x[a], h);
          CHECK(column[a][b] == doctest::Approx(numeric).epsilon(2e-3).scale(1.0 / (r * r)));
        }
      }
      // J^T v . u == v . J u for random u, v.
      const Vec3 u = random_direction(rng), v = random_direction(rng);
      CHECK(nerds::dot(nerds::contract_vjp(j, v), u) ==
            doctest::Approx(nerds::dot(v, nerds::contract_jvp(j, u))).epsilon(1e-5));
      // The diagonal of J Sigma J^T, Sigma = t_var d d^T + r_var (I - d d^T), built from J's columns.
      const Vec3 d = random_direction(rng);
      const float t_var = rng.uniformf(0.01f, 1.f), r_var = rng.uniformf(0.01f, 1.f);
      const Vec3 var = nerds::contract_gaussian_var(j, d, t_var, r_var);
      for (int row = 0; row < 3; ++row) {
        double expected = 0.0;
        for (int p = 0; p < 3; ++p)
          for (int q = 0; q < 3; ++q) {
            const double sigma = (p == q ? r_var : 0.0) + (t_var - r_var) * d[p] * d[q];
            expected += static_cast<double>(column[p][row]) * sigma * column[q][row];
          }
        CHECK(var[row] == doctest::Approx(expected).epsilon(1e-4).scale(1e-6));
      }
    }
  }
}

TEST_CASE("contract_step moves the contracted point by the asked length, in disparity far away") {
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    ContractWarp w;
    w.norm = n;
    w.center = make_vec3(0.5f, 0.5f, 0.5f);
    w.radius = 0.25f;
    Random rng(4);
    for (int i = 0; i < 50; ++i) {
      const Vec3 p = w.center + point_at_norm(rng, n, w.radius * rng.uniformf(0.1f, 30.f));
      const Vec3 d = random_direction(rng);
      const float step = 1e-3f;
      const float dt = nerds::contract_step(w, p, d, step);
      const Vec3 a = nerds::contract(n, (p - w.center) * (1.f / w.radius));
      const Vec3 b = nerds::contract(n, (p + d * dt - w.center) * (1.f / w.radius));
      CHECK(nerds::length(b - a) == doctest::Approx(step).epsilon(0.02));
    }
  }
}

namespace {

struct MarchedSample {
  float t, dt;
  Vec3 q;
};

// A one-cascade grid whose cells are occupied where `occupied(x, y, z)` says.
template <class Occupied>
std::vector<uint8_t> grid_bits(int res, Occupied occupied) {
  std::vector<uint8_t> bits((static_cast<size_t>(res) * res * res + 7) / 8, 0);
  for (int z = 0; z < res; ++z)
    for (int y = 0; y < res; ++y)
      for (int x = 0; x < res; ++x) {
        if (!occupied(x, y, z)) continue;
        const size_t i = static_cast<size_t>(x) + res * (static_cast<size_t>(y) + res * z);
        bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
      }
  return bits;
}

OccupancyView one_cascade(const std::vector<uint8_t>& bits, int res) {
  OccupancyView v;
  v.bits = bits.data();
  v.resolution = res;
  v.cascades = 1;
  return v;
}

std::vector<MarchedSample> march_contracted(const MarchSettings& ms, const ContractWarp& w, const OccupancyView& grid,
                                            Vec3 o, Vec3 d, float offset) {
  std::vector<MarchedSample> out;
  float t = nerds::contract_march_start(ms, w, o, d, 0.f, offset);
  nerds::march_contracted_ray(ms, w, grid, o, d, &t, w.far, 1 << 20, [&](float ts, float dts, Vec3 q) {
    out.push_back({ts, dts, q});
  });
  return out;
}

}  // namespace

TEST_CASE(
    "the contracted march places samples sorted inside the ray's range, uniform inside the ball and in disparity "
    "beyond") {
  MarchSettings ms;
  ms.dt_min = ms.dt_max = 1.7320508f / 256.f;
  ms.box_half = 0.5f;
  const int res = 32;
  const std::vector<uint8_t> all = grid_bits(res, [](int, int, int) { return true; });
  const OccupancyView grid = one_cascade(all, res);
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    ContractWarp w;
    w.norm = n;
    w.radius = 0.3f;
    w.far = 1000.f * w.radius;
    // From the center outwards: r = t / radius along the ray.
    const Vec3 d = nerds::normalize(make_vec3(0.3f, -0.5f, 0.8f));
    const std::vector<MarchedSample> s = march_contracted(ms, w, grid, w.center, d, 0.5f);
    REQUIRE(s.size() > 20);
    CHECK(s.size() < 4.0 / nerds::contract_march_step(ms));  // at most the contracted path's length in steps
    float inside_dt = -1.f;
    for (size_t k = 0; k < s.size(); ++k) {
      CAPTURE(k);
      CHECK(s[k].dt > 0.f);
      CHECK(s[k].t >= 0.f);
      CHECK(s[k].t < w.far);
      if (k > 0) CHECK(s[k].t == doctest::Approx(s[k - 1].t + s[k - 1].dt).epsilon(1e-6));
      const float r = nerds::contraction_norm(n, d * (s[k].t / w.radius));
      if (r < 0.9f) {
        // Inside the ball: constant steps of the box's dt_min, in engine units.
        if (inside_dt < 0.f) inside_dt = s[k].dt;
        CHECK(s[k].dt == doctest::Approx(inside_dt).epsilon(1e-5));
      }
      if (k > 0 && r > 2.f && r < 8.f) {
        // Far away: equal steps in disparity 1/t (Eq. 11, g(x) = 1/x), to the first order of
        // the marcher's steps.
        const float disparity_step = 1.f / s[k - 1].t - 1.f / s[k].t;
        const float dn = nerds::contraction_norm(n, d);  // r = dn t / radius
        const float expected = nerds::contract_march_step(ms) * dn * dn / w.radius;
        CHECK(disparity_step == doctest::Approx(expected).epsilon(0.1));
      }
      // Every sample lies in the box (the contracted space mapped onto it).
      for (int a = 0; a < 3; ++a) {
        CHECK(s[k].q[a] >= 0.5f - ms.box_half);
        CHECK(s[k].q[a] <= 0.5f + ms.box_half);
      }
    }
    CHECK(inside_dt == doctest::Approx(w.radius * nerds::contract_march_step(ms)).epsilon(1e-4));
    // The last sample is near the radius-2 sphere: the whole ray out to the far plane is marched.
    CHECK(nerds::contraction_norm(n, (s.back().q - make_vec3(0.5f, 0.5f, 0.5f)) * (2.f / ms.box_half)) > 1.99f);
  }
}

TEST_CASE("the contracted march keeps exactly the lattice points whose contracted cell is occupied") {
  MarchSettings ms;
  ms.dt_min = ms.dt_max = 1.7320508f / 256.f;
  ms.box_half = 0.5f;
  const int res = 16;
  const std::vector<uint8_t> all = grid_bits(res, [](int, int, int) { return true; });
  const std::vector<uint8_t> some = grid_bits(res, [](int x, int y, int z) { return (x + 2 * y + 3 * z) % 5 < 2; });
  const OccupancyView full = one_cascade(all, res), partial = one_cascade(some, res);
  ContractWarp w;
  w.radius = 0.2f;
  w.far = 1000.f * w.radius;
  // A camera outside the unit ball looking past the center.
  const Vec3 o = w.center + make_vec3(0.35f, -0.1f, 0.05f);
  const Vec3 d = nerds::normalize(make_vec3(-1.f, 0.2f, 0.1f));
  const std::vector<MarchedSample> lattice = march_contracted(ms, w, full, o, d, 0.3f);
  const std::vector<MarchedSample> kept = march_contracted(ms, w, partial, o, d, 0.3f);
  std::vector<MarchedSample> expected;
  for (const MarchedSample& m : lattice)
    if (nerds::occupancy_test(partial, m.q)) expected.push_back(m);
  REQUIRE(!expected.empty());
  REQUIRE(expected.size() < lattice.size());
  REQUIRE(kept.size() == expected.size());
  for (size_t k = 0; k < kept.size(); ++k) {
    CHECK(kept[k].t == expected[k].t);
    CHECK(kept[k].dt == expected[k].dt);
  }
  // Resuming after any sample count gives the same samples (wavefront marching), to rounding:
  // the steps are a running sum, and -ffp-contract=fast may fuse its terms differently where
  // the march is inlined into another caller.
  std::vector<MarchedSample> resumed;
  float t = nerds::contract_march_start(ms, w, o, d, 0.f, 0.3f);
  while (true) {
    const int got = nerds::march_contracted_ray(ms, w, partial, o, d, &t, w.far, 3, [&](float ts, float dts, Vec3 q) {
      resumed.push_back({ts, dts, q});
    });
    if (got < 3) break;
  }
  REQUIRE(resumed.size() == kept.size());
  for (size_t k = 0; k < kept.size(); ++k) CHECK(resumed[k].t == doctest::Approx(kept[k].t).epsilon(1e-5));
}

TEST_CASE("contract_radial_stretch: 1 inside the ball, r^2 at the contracted point of norm r, the march's longest span") {
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    Random rng(5);
    for (int i = 0; i < 50; ++i) {
      const Vec3 inside = point_at_norm(rng, n, rng.uniformf(0.f, 1.f));
      CHECK(nerds::contract_radial_stretch(n, nerds::contract(n, inside)) == 1.f);
      const float r = rng.uniformf(1.5f, 50.f);
      const Vec3 x = point_at_norm(rng, n, r);
      CHECK(nerds::contract_radial_stretch(n, nerds::contract(n, x)) == doctest::Approx(r * r).epsilon(1e-3));
      // The network position of the contracted point gives it back.
      const Vec3 y = nerds::contract(n, x);
      const Vec3 back = nerds::contracted_of_network_position(make_vec3(0.5f, 0.5f, 0.5f) + y * 0.25f);
      CHECK(nerds::length(back - y) < 1e-5f);
    }
    // Along the radius the marcher's step (contract_step) spans stretch x step radii.
    if (n == ContractNorm::L2) {
      ContractWarp w;
      w.radius = 1.f;
      w.center = make_vec3(0.f, 0.f, 0.f);
      const Vec3 d = nerds::normalize(make_vec3(1.f, 2.f, -0.5f));
      for (float r : {0.5f, 3.f, 20.f}) {
        const float stretch = nerds::contract_radial_stretch(n, nerds::contract(n, d * r));
        CHECK(nerds::contract_step(w, d * r, d, 1e-3f) == doctest::Approx(1e-3f * stretch).epsilon(1e-4));
      }
    }
  }
}
