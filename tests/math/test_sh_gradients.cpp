// The spherical-harmonics direction encoding (renderer/math/sh.h): its values against an
// independent double-precision evaluation from associated Legendre functions, its backward
// against differences of the forward, and the basis' orthonormality over the sphere.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <vector>

#include "renderer/math/sh.h"
#include "tests/test_support/numeric.h"

using nerds_test::Random;

namespace {

using nerds_test::kPi;


double factorial(int n) {
  double f = 1.0;
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}

// Real spherical harmonic Y_l^m of a unit direction in double, from the textbook definition
// (e.g. Sloan 2013, "Efficient Spherical Harmonic Evaluation", Sec. 2):
//   Y_l^m = sqrt(2) K_l^m cos(m phi) P_l^m(cos theta)        m > 0
//   Y_l^0 = K_l^0 P_l^0(cos theta)
//   Y_l^m = sqrt(2) K_l^|m| sin(|m| phi) P_l^|m|(cos theta)  m < 0
//   K_l^m = sqrt((2l+1)/(4 pi) (l-m)!/(l+m)!)
// with P_l^m including the Condon-Shortley phase (-1)^m, which is the sign convention of
// tiny-cuda-nn's (and so this project's) encoding: out[1] = -c y, out[3] = -c x.
// std::assoc_legendre omits that phase, so it is applied here. Index l*l + l + m.
double reference_sh(int l, int m, double x, double y, double z) {
  const double theta = std::acos(std::fmax(-1.0, std::fmin(1.0, z)));
  const double phi = std::atan2(y, x);
  const int am = std::abs(m);
  const double k = std::sqrt((2.0 * l + 1.0) / (4.0 * kPi) * factorial(l - am) / factorial(l + am));
  const double p = (am % 2 ? -1.0 : 1.0) * std::assoc_legendre(l, am, std::cos(theta));
  if (m > 0) return std::sqrt(2.0) * k * std::cos(m * phi) * p;
  if (m < 0) return std::sqrt(2.0) * k * std::sin(am * phi) * p;
  return k * p;
}

void random_unit(Random& rng, float* d) {
  // Uniform on the sphere: z uniform in [-1, 1], phi uniform (Archimedes).
  const double z = rng.uniform(-1.0, 1.0);
  const double phi = rng.uniform(0.0, 2.0 * kPi);
  const double r = std::sqrt(std::fmax(0.0, 1.0 - z * z));
  d[0] = static_cast<float>(r * std::cos(phi));
  d[1] = static_cast<float>(r * std::sin(phi));
  d[2] = static_cast<float>(z);
}

}  // namespace

TEST_CASE("SH encoding matches the double-precision real spherical harmonics") {
  Random rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    float d[3];
    random_unit(rng, d);
    float out[16];
    nerds::sh_encode(d[0], d[1], d[2], 4, out);
    for (int l = 0; l < 4; ++l)
      for (int m = -l; m <= l; ++m) {
        CAPTURE(l);
        CAPTURE(m);
        // Float evaluation of a cubic with coefficients <= 2.9: a few 1e-7 of rounding.
        CHECK(std::fabs(out[l * l + l + m] - reference_sh(l, m, d[0], d[1], d[2])) < 2e-6);
      }
    // Lower degrees write exactly the leading coefficients of the degree-4 encoding.
    for (int degree = 1; degree <= 3; ++degree) {
      float lower[16];
      for (float& v : lower) v = -123.f;
      nerds::sh_encode(d[0], d[1], d[2], degree, lower);
      for (int i = 0; i < 16; ++i) CHECK(lower[i] == (i < degree * degree ? out[i] : -123.f));
    }
  }
}

TEST_CASE("SH backward matches differences of the encoding, degrees 1 to 4") {
  Random rng(17);
  for (int degree = 1; degree <= 4; ++degree) {
    CAPTURE(degree);
    const int n_out = nerds::sh_coefficient_count(degree);
    nerds_test::GradientCheck check;
    for (int trial = 0; trial < 100; ++trial) {
      float d[3];
      random_unit(rng, d);
      // Inputs on a 2^-12 lattice, so that d +- h and d +- 2h below are exact in float.
      for (float& v : d) v = std::ldexp(std::round(std::ldexp(v, 12)), -12);
      std::vector<float> d_out = rng.floats(n_out, -1.f, 1.f);
      float g[3] = {0.5f, -0.25f, 0.125f};  // backward accumulates: start from non-zero
      const float g0[3] = {g[0], g[1], g[2]};
      nerds::sh_encode_backward(d[0], d[1], d[2], degree, d_out.data(), &g[0], &g[1], &g[2]);
      for (int a = 0; a < 3; ++a) {
        float x[3] = {d[0], d[1], d[2]};
        auto loss = [&] {
          float out[16];
          nerds::sh_encode(x[0], x[1], x[2], degree, out);
          double s = 0.0;
          for (int i = 0; i < n_out; ++i) s += static_cast<double>(d_out[i]) * out[i];
          return s;
        };
        // The backward differentiates the polynomial in (x, y, z) as independent inputs (no
        // projection onto the sphere), so the reference does too. Each coefficient is a
        // polynomial of degree <= 3, for which the Richardson-extrapolated central difference
        // is exact; only float rounding remains: 16 outputs of magnitude <= 1.8 rounded to
        // ~2e-7 each -> ~3e-6 in the loss, over 2h = 0.125 -> ~3e-5 worst case
        // (plus the 4/3, 1/3 combination). atol 1e-4 covers it; a wrong coefficient in the
        // backward shows up as an error of the size of the term, > 1e-2.
        const double numeric = nerds_test::richardson_difference([&](float v) { x[a] = v; }, loss, d[a], 0.0625f);
        check.add(trial * 3 + a, static_cast<double>(g[a]) - g0[a], numeric, 1e-4, 1e-5);
      }
    }
    INFO("worst: analytic " << check.worst_analytic << " numeric " << check.worst_numeric);
    CHECK(check.worst <= 1.0);
  }
}

TEST_CASE("SH basis is orthonormal over the sphere (Monte Carlo)") {
  // (4 pi / N) sum_k Y_i(d_k) Y_j(d_k) estimates the integral of Y_i Y_j over the sphere,
  // which is delta_ij for an orthonormal basis. With N = 200000 uniform directions the
  // standard error of an entry is 4 pi * std(Y_i Y_j) / sqrt(N); |Y_i Y_j| <= ~0.6 for these
  // degrees, so std <= 0.3 and the error is <= 4 pi * 0.3 / 447 ~ 8e-3 at the very worst,
  // typically 2e-3. A tolerance of 0.03 is > 3.5 sigma of the worst entry (the seed is fixed,
  // so the test is deterministic), while a coefficient off by 5% moves a diagonal by 0.1.
  Random rng(23);
  const int N = 200000;
  double gram[16][16] = {};
  for (int k = 0; k < N; ++k) {
    float d[3], y[16];
    random_unit(rng, d);
    nerds::sh_encode(d[0], d[1], d[2], 4, y);
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j <= i; ++j) gram[i][j] += static_cast<double>(y[i]) * y[j];
  }
  double worst = 0.0;
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j <= i; ++j) {
      const double integral = gram[i][j] * 4.0 * kPi / N;
      const double expected = i == j ? 1.0 : 0.0;
      CAPTURE(i);
      CAPTURE(j);
      CHECK(std::fabs(integral - expected) < 0.03);
      worst = std::fmax(worst, std::fabs(integral - expected));
    }
  MESSAGE("largest deviation of the SH Gram matrix from the identity: " << worst);
}
