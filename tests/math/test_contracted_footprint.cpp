// Footprints on contracted rays (renderer/math/contracted_footprint.h): the contraction's
// inverse, the isotropic scale |det J|^(1/3) against a finite-difference Jacobian, Mip-NeRF
// 360's Eq. 9 Gaussian against the spread of contracted Monte-Carlo draws from the frustum's
// Gaussian, and Zip-NeRF's contracted points against the engine-frame points mapped through
// the warp one by one.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/contracted_footprint.h"
#include "renderer/math/footprint_kind.h"
#include "renderer/math/ray_march.h"
#include "tests/test_support/numeric.h"
#include "tests/test_support/random_direction.h"
#include "tests/test_support/contract_norms.h"

using nerds::ContractNorm;
using nerds::ContractWarp;
using nerds::make_vec3;
using nerds::Vec3;
using nerds_test::Random;
using nerds_test::random_direction;

namespace {

using nerds_test::kContractNorms;
using nerds_test::contract_norm_name;

constexpr float kBoxHalf = 1.5f;

double normal(Random& rng) {  // Box-Muller
  const double u = 1.0 - rng.uniform(), v = rng.uniform();
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

ContractWarp warp_of(ContractNorm n) {
  ContractWarp w;
  w.norm = n;
  w.center = make_vec3(0.5f, 0.4f, 0.6f);
  w.radius = 0.8f;
  return w;
}

// Where the network sees the engine point p (the warp's own mapping, not the footprint code's).
Vec3 network_of(const ContractWarp& w, Vec3 p) {
  return nerds::network_position(nerds::contract_to_box(w, kBoxHalf, p), kBoxHalf);
}

// A point at distance r radii from the warp's center (in the warp's norm), away from the edges
// of the L-infinity cube where its Jacobian jumps.
Vec3 engine_point_at(Random& rng, const ContractWarp& w, float r) {
  for (;;) {
    const Vec3 d = random_direction(rng);
    const float ax = std::fabs(d.x), ay = std::fabs(d.y), az = std::fabs(d.z);
    const float top = std::max(ax, std::max(ay, az));
    const float second = ax == top ? std::max(ay, az) : (ay == top ? std::max(ax, az) : std::max(ax, ay));
    if (w.norm == ContractNorm::Linf && top - second < 0.2f * top) continue;
    return w.center + d * (r * w.radius / nerds::contraction_norm(w.norm, d));
  }
}

}  // namespace

TEST_CASE("uncontract inverts the contraction inside the ball and out to 500 radii") {
  Random rng(11);
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    for (float r : {0.1f, 0.7f, 1.f, 1.5f, 4.f, 40.f, 500.f}) {
      const Vec3 x = random_direction(rng) * r;
      const Vec3 back = nerds::uncontract(n, nerds::contract(n, x));
      for (int a = 0; a < 3; ++a) CHECK(back[a] == doctest::Approx(x[a]).epsilon(r > 100.f ? 1e-2 : 1e-4).scale(1e-5));
    }
  }
}

TEST_CASE("contract_isotropic_scale is the cube root of the finite-difference Jacobian's determinant") {
  Random rng(12);
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    const ContractWarp w = warp_of(n);
    for (float r : {0.5f, 1.3f, 3.f, 10.f}) {
      CAPTURE(r);
      const Vec3 p = engine_point_at(rng, w, r);
      const Vec3 x = (p - w.center) * (1.f / w.radius);
      // Central differences of contract in double steps around x.
      double J[3][3];
      const float h = 1e-3f * std::max(1.f, r);
      for (int c = 0; c < 3; ++c) {
        Vec3 lo = x, hi = x;
        lo[c] -= h;
        hi[c] += h;
        const Vec3 dlo = nerds::contract(n, lo), dhi = nerds::contract(n, hi);
        for (int row = 0; row < 3; ++row) J[row][c] = (static_cast<double>(dhi[row]) - dlo[row]) / (2.0 * h);
      }
      const double det = J[0][0] * (J[1][1] * J[2][2] - J[1][2] * J[2][1]) -
                         J[0][1] * (J[1][0] * J[2][2] - J[1][2] * J[2][0]) +
                         J[0][2] * (J[1][0] * J[2][1] - J[1][1] * J[2][0]);
      const float iso = nerds::contract_isotropic_scale(nerds::contract_jacobian(n, x));
      CHECK(iso == doctest::Approx(std::cbrt(std::fabs(det))).epsilon(5e-3));
      if (r < 1.f) CHECK(iso == doctest::Approx(1.f));
      // L2: the official code's closed form (2r - 1)^(2/3) / r^2.
      if (n == ContractNorm::L2 && r > 1.f)
        CHECK(iso == doctest::Approx(std::cbrt((2.0 * r - 1.0) * (2.0 * r - 1.0)) / (r * r)).epsilon(1e-3));
    }
  }
}

TEST_CASE("the contracted frustum Gaussian (Eq. 9) matches contracted Monte-Carlo draws from the frustum") {
  Random rng(13);
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    const ContractWarp w = warp_of(n);
    for (float r : {0.5f, 2.5f, 8.f}) {
      CAPTURE(r);
      // A ray from the warp's center region through a point at r radii; a sample there whose
      // frustum is small beside r (so the linearisation holds to well under the tolerance).
      const Vec3 p = engine_point_at(rng, w, r);
      const Vec3 d = random_direction(rng);
      const float t = 2.f, dt = 0.02f * r, cone = 0.004f * r;
      const Vec3 o = p - d * t;
      Vec3 mean, var;
      nerds::contracted_frustum_gaussian(w, network_of(w, p), t, dt, cone, d, &mean, &var);
      // Draws from the frustum's Gaussian in the engine frame (Mip-NeRF Eq. 7-8), contracted.
      const nerds::FrustumGaussian g = nerds::conical_frustum(t - 0.5f * dt, t + 0.5f * dt, cone);
      Vec3 e1, e2;
      nerds::zip_perpendicular_basis(d, &e1, &e2);
      const int N = 40000;
      double sum[3] = {0, 0, 0}, sum2[3] = {0, 0, 0};
      for (int i = 0; i < N; ++i) {
        const Vec3 x = o + d * (g.t_mean + std::sqrt(g.t_var) * static_cast<float>(normal(rng))) +
                       e1 * (std::sqrt(g.r_var) * static_cast<float>(normal(rng))) +
                       e2 * (std::sqrt(g.r_var) * static_cast<float>(normal(rng)));
        const Vec3 q = network_of(w, x);
        for (int a = 0; a < 3; ++a) {
          sum[a] += q[a];
          sum2[a] += static_cast<double>(q[a]) * q[a];
        }
      }
      for (int a = 0; a < 3; ++a) {
        CAPTURE(a);
        const double m = sum[a] / N, v = sum2[a] / N - m * m;
        CHECK(mean[a] == doctest::Approx(m).epsilon(1e-3).scale(1.0));
        CHECK(mean[a] - m == doctest::Approx(0.0).scale(1.0).epsilon(4.0 * std::sqrt(v / N) + 2e-5));
        CHECK(var[a] == doctest::Approx(v).epsilon(0.05));
      }
    }
  }
}

TEST_CASE("Zip-NeRF's contracted points are the engine-frame points through the warp, scaled by |det J|^(1/3)") {
  Random rng(14);
  for (ContractNorm n : kContractNorms) {
    CAPTURE(contract_norm_name(n));
    const ContractWarp w = warp_of(n);
    for (float r : {0.4f, 3.f, 20.f}) {
      CAPTURE(r);
      const Vec3 p = engine_point_at(rng, w, r);
      const Vec3 d = random_direction(rng);
      const float t = 4.f, dt = 0.05f, cone = 0.003f;
      const Vec3 q = network_of(w, p);
      for (int K : {1, nerds::kZipMultisamples}) {
        CAPTURE(K);
        float out[4 * 6];
        nerds::contracted_zip_points(w, q, t, dt, cone, d, K, out);
        Vec3 offsets[6];
        float scales[6];
        nerds::zip_sample_offsets(t, dt, cone, d, q, K, offsets, scales);
        for (int k = 0; k < K; ++k) {
          CAPTURE(k);
          const Vec3 x = p + offsets[k];
          const Vec3 expected = network_of(w, x);
          for (int a = 0; a < 3; ++a) CHECK(out[4 * k + a] == doctest::Approx(expected[a]).epsilon(1e-4).scale(1e-5));
          // The scale in network units: engine std / radius, times |det J|^(1/3), a quarter
          // (the radius-2 ball fills [0, 1]^3); inside the ball only the linear part.
          const float rk = nerds::contraction_norm(n, (x - w.center) * (1.f / w.radius));
          const double linear = scales[k] / w.radius * 0.25;
          if (rk < 1.f) {
            CHECK(out[4 * k + 3] == doctest::Approx(linear).epsilon(1e-5));
          } else {
            const double iso = std::cbrt((2.0 * rk - 1.0) * (2.0 * rk - 1.0)) / (static_cast<double>(rk) * rk);
            CHECK(out[4 * k + 3] == doctest::Approx(linear * iso).epsilon(1e-3));
          }
        }
      }
    }
  }
}
