// NeRF's frequency encoding and Mip-NeRF's integrated encoding (renderer/math/
// positional_encoding.h): values against a double-precision evaluation, backward passes
// against differences of the forward, the IPE's limits (zero variance and a vanishing cone
// give the plain encoding; a wide cone damps the high frequencies), and the conical
// frustum's moments against the exact moments of a uniform frustum and a Monte Carlo sample.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/positional_encoding.h"
#include "tests/test_support/numeric.h"

using nerds::FrequencyEncoding;
using nerds::Vec3;
using nerds_test::Random;

namespace {

using nerds_test::kPi;


// sum_j w[j] * encode(p)[j] in double, the scalar whose gradient the backward computes.
double weighted_frequency(const FrequencyEncoding& e, const float* p, const std::vector<float>& w) {
  std::vector<float> out(nerds::frequency_encoding_width(e));
  nerds::frequency_encode(e, p, out.data());
  double sum = 0.0;
  for (size_t j = 0; j < out.size(); ++j) sum += static_cast<double>(w[j]) * out[j];
  return sum;
}

double weighted_integrated(const FrequencyEncoding& e, const float* mean, const float* var,
                           const std::vector<float>& w) {
  std::vector<float> out(nerds::frequency_encoding_width(e));
  nerds::integrated_encode(e, mean, var, out.data());
  double sum = 0.0;
  for (size_t j = 0; j < out.size(); ++j) sum += static_cast<double>(w[j]) * out[j];
  return sum;
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::fmax(worst, std::fabs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

// The IPE of the frustum [t0, t1] of the cone (o, d, radius), and the plain encoding of its mean.
void frustum_encodings(const FrequencyEncoding& e, Vec3 o, Vec3 d, float t0, float t1, float radius,
                       std::vector<float>* ipe, std::vector<float>* pe) {
  Vec3 mean, var;
  nerds::frustum_to_world(o, d, nerds::conical_frustum(t0, t1, radius), &mean, &var);
  const float m[3] = {mean.x, mean.y, mean.z}, v[3] = {var.x, var.y, var.z};
  ipe->assign(nerds::frequency_encoding_width(e), 0.f);
  pe->assign(ipe->size(), 0.f);
  nerds::integrated_encode(e, m, v, ipe->data());
  nerds::frequency_encode(e, m, pe->data());
}

}  // namespace

TEST_CASE("frequency encoding: layout and values of NeRF's Eq. 4") {
  FrequencyEncoding e;
  e.frequencies = 4;
  CHECK(nerds::frequency_encoding_width(e) == 3 * (1 + 2 * 4));
  e.include_input = false;
  CHECK(nerds::frequency_encoding_width(e) == 3 * 2 * 4);
  e.include_input = true;

  const float p[3] = {0.25f, 0.5f, -0.125f};
  std::vector<float> out(nerds::frequency_encoding_width(e));
  nerds::frequency_encode(e, p, out.data());
  for (int d = 0; d < 3; ++d) CHECK(out[d] == p[d]);
  for (int k = 0; k < 4; ++k)
    for (int d = 0; d < 3; ++d) {
      const double arg = std::ldexp(kPi, k) * p[d];
      CHECK(out[3 + 6 * k + d] == doctest::Approx(std::sin(arg)).epsilon(1e-5));
      CHECK(out[3 + 6 * k + 3 + d] == doctest::Approx(std::cos(arg)).epsilon(1e-5));
    }
  // base 1 (NeRF's and Mip-NeRF's code): sin(2^k p).
  e.base = 1.f;
  nerds::frequency_encode(e, p, out.data());
  CHECK(out[3 + 6 * 2 + 1] == doctest::Approx(std::sin(4.0 * 0.5)).epsilon(1e-6));
}

TEST_CASE("frequency encoding backward matches differences of the forward") {
  Random rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    FrequencyEncoding e;
    e.frequencies = 8;  // f up to 128 pi: steps of 2e-4 stay well inside a period
    e.include_input = trial % 2 == 0;
    e.dims = 3;
    float p[3];
    for (float& x : p) x = rng.uniformf(-1.f, 1.f);
    const std::vector<float> w = rng.floats(nerds::frequency_encoding_width(e), -1.f, 1.f);
    float grad[3] = {0.f, 0.f, 0.f};
    nerds::frequency_encode_backward(e, p, w.data(), grad);
    nerds_test::GradientCheck check;
    for (int d = 0; d < 3; ++d) {
      const double numeric = nerds_test::richardson_difference(
          [&](float v) { p[d] = v; }, [&] { return weighted_frequency(e, p, w); }, p[d], 2e-4f);
      check.add(d, grad[d], numeric, 0.05, 2e-3);
    }
    INFO("worst input " << check.worst_index << ": analytic " << check.worst_analytic << " numeric "
                        << check.worst_numeric);
    CHECK(check.worst <= 1.0);
  }
}

TEST_CASE("integrated encoding backward matches differences of the forward (mean and variance)") {
  Random rng(12);
  for (int trial = 0; trial < 20; ++trial) {
    FrequencyEncoding e;
    e.frequencies = 6;
    e.include_input = trial % 2 == 1;
    float mean[3], var[3];
    for (float& x : mean) x = rng.uniformf(-1.f, 1.f);
    for (float& v : var) v = rng.uniformf(0.f, 2e-3f);  // damping from ~1 to ~e^-10 across the levels
    const std::vector<float> w = rng.floats(nerds::frequency_encoding_width(e), -1.f, 1.f);
    float g_mean[3] = {0.f, 0.f, 0.f}, g_var[3] = {0.f, 0.f, 0.f};
    nerds::integrated_encode_backward(e, mean, var, w.data(), g_mean, g_var);
    nerds_test::GradientCheck check;
    for (int d = 0; d < 3; ++d) {
      const double dm = nerds_test::richardson_difference(
          [&](float v) { mean[d] = v; }, [&] { return weighted_integrated(e, mean, var, w); }, mean[d], 2e-4f);
      check.add(d, g_mean[d], dm, 0.02, 2e-3);
      const double dv = nerds_test::richardson_difference(
          [&](float v) { var[d] = v; }, [&] { return weighted_integrated(e, mean, var, w); }, var[d], 1e-5f);
      check.add(3 + d, g_var[d], dv, 0.5, 3e-3);  // d/dvar is up to ~f^2/2 ~ 2e3
    }
    INFO("worst input " << check.worst_index << ": analytic " << check.worst_analytic << " numeric "
                        << check.worst_numeric);
    CHECK(check.worst <= 1.0);
  }
  // A null d_var skips the variance gradient.
  FrequencyEncoding e;
  const float mean[3] = {0.1f, 0.2f, 0.3f}, var[3] = {0.f, 0.f, 0.f};
  std::vector<float> w(nerds::frequency_encoding_width(e), 1.f);
  float g_mean[3] = {0.f, 0.f, 0.f}, g_pe[3] = {0.f, 0.f, 0.f};
  nerds::integrated_encode_backward(e, mean, var, w.data(), g_mean, nullptr);
  nerds::frequency_encode_backward(e, mean, w.data(), g_pe);
  for (int d = 0; d < 3; ++d) CHECK(g_mean[d] == doctest::Approx(g_pe[d]).epsilon(1e-6));
}

TEST_CASE("IPE reduces to the plain positional encoding as the cone radius goes to zero") {
  FrequencyEncoding e;  // NeRF's L = 10 for positions, with the identity
  const float mean[3] = {0.3f, -0.7f, 0.45f}, zero[3] = {0.f, 0.f, 0.f};
  std::vector<float> ipe(nerds::frequency_encoding_width(e)), pe(ipe.size());
  nerds::integrated_encode(e, mean, zero, ipe.data());
  nerds::frequency_encode(e, mean, pe.data());
  CHECK(max_difference(ipe, pe) == 0.0);  // zero variance: exactly the same numbers

  // A frustum whose radius and length shrink together: the gap to the plain encoding of its
  // mean shrinks, and is negligible once f_max^2 var << 1 (f_max = 2^9 pi ~ 1608).
  const Vec3 o = nerds::make_vec3(0.1f, 0.2f, 0.3f), d = nerds::make_vec3(0.3f, -0.2f, -1.f);
  double previous = 2.0;
  for (float r : {1e-2f, 1e-3f, 1e-4f, 1e-5f}) {
    frustum_encodings(e, o, d, 0.5f, 0.5f + r, r, &ipe, &pe);
    const double gap = max_difference(ipe, pe);
    INFO("radius " << r << ": max |IPE - PE| = " << gap);
    CHECK(gap < previous);
    previous = gap;
  }
  CHECK(previous < 1e-3);
}

TEST_CASE("IPE damps the high frequencies of a wide cone") {
  FrequencyEncoding e;
  e.include_input = false;
  std::vector<float> ipe, pe;
  // A pixel footprint of 0.01 at t = 1, sampled at t in [2, 2.1]: sigma ~ 0.01-0.03.
  frustum_encodings(e, nerds::make_vec3(0.f, 0.f, 0.f), nerds::make_vec3(0.2f, 0.1f, -1.f), 2.f, 2.1f, 0.01f, &ipe,
                    &pe);
  for (int d = 0; d < 3; ++d) {
    double previous = 1.0 + 1e-6;
    for (int k = 0; k < e.frequencies; ++k) {
      const double s = ipe[6 * k + d], c = ipe[6 * k + 3 + d];
      const double amplitude = std::sqrt(s * s + c * c);  // = exp(-f_k^2 var / 2)
      INFO("axis " << d << " level " << k << " amplitude " << amplitude);
      CHECK(amplitude <= previous);
      previous = amplitude;
      if (k == 0) CHECK(amplitude > 0.99);
      if (k >= 7) CHECK(amplitude < 1e-3);
    }
  }
  // The plain encoding keeps amplitude 1 at every level.
  for (int k = 0; k < e.frequencies; ++k)
    CHECK(std::hypot(pe[6 * k], pe[6 * k + 3]) == doctest::Approx(1.0).epsilon(1e-5));
}

TEST_CASE("conical frustum moments (Mip-NeRF Eq. 7) equal the exact moments of a uniform frustum") {
  // A cone of radius r t: the cross-section area grows as t^2, so t has density 3 t^2 /
  // (t1^3 - t0^3) on [t0, t1]; a point of the disk of radius r t has per-axis variance
  // (r t)^2 / 4. Hence E[t] = 3/4 (t1^4 - t0^4) / (t1^3 - t0^3), E[t^2] = 3/5 (t1^5 - t0^5) /
  // (t1^3 - t0^3), sigma_r^2 = r^2 E[t^2] / 4.
  Random rng(13);
  for (int trial = 0; trial < 200; ++trial) {
    const double t0 = rng.uniform(0.05, 4.0), t1 = t0 + rng.uniform(1e-3, 2.0), r = rng.uniform(1e-4, 0.05);
    const double cube = std::pow(t1, 3) - std::pow(t0, 3);
    const double mean = 0.75 * (std::pow(t1, 4) - std::pow(t0, 4)) / cube;
    const double second = 0.6 * (std::pow(t1, 5) - std::pow(t0, 5)) / cube;
    const nerds::FrustumGaussian g =
        nerds::conical_frustum(static_cast<float>(t0), static_cast<float>(t1), static_cast<float>(r));
    INFO("t0 " << t0 << " t1 " << t1 << " r " << r);
    CHECK(g.t_mean == doctest::Approx(mean).epsilon(1e-5));
    CHECK(g.t_var == doctest::Approx(second - mean * mean).epsilon(2e-3));  // a difference: float cancels
    CHECK(g.r_var == doctest::Approx(r * r * second / 4.0).epsilon(1e-5));
  }
  // Golden case t in [0, 2], r = 1: mu_t = 1.5, sigma_t^2 = 0.15, sigma_r^2 = 0.6.
  const nerds::FrustumGaussian g = nerds::conical_frustum(0.f, 2.f, 1.f);
  CHECK(g.t_mean == doctest::Approx(1.5));
  CHECK(g.t_var == doctest::Approx(0.15));
  CHECK(g.r_var == doctest::Approx(0.6));
}

TEST_CASE("frustum Gaussian in world space (Mip-NeRF Eq. 8) matches a Monte Carlo sample of the frustum") {
  const Vec3 o = nerds::make_vec3(0.5f, -0.25f, 1.f), d = nerds::make_vec3(0.6f, -0.3f, -1.f);
  const float t0 = 1.f, t1 = 1.5f, radius = 0.2f;
  Vec3 mean, var;
  nerds::frustum_to_world(o, d, nerds::conical_frustum(t0, t1, radius), &mean, &var);

  // Two unit vectors perpendicular to d span the disks.
  const Vec3 dn = nerds::normalize(d);
  const Vec3 u = nerds::normalize(nerds::cross(dn, nerds::make_vec3(0.f, 1.f, 0.f)));
  const Vec3 v = nerds::cross(dn, u);
  Random rng(14);
  const int n = 200000;
  double sum[3] = {0, 0, 0}, sum2[3] = {0, 0, 0};
  for (int i = 0; i < n; ++i) {
    // t by inverting the CDF (t^3 - t0^3) / (t1^3 - t0^3); a uniform point of the disk of
    // world radius radius * t (Mip-NeRF's cone: half-angle atan(radius / |d|)).
    const double t = std::cbrt(std::pow(t0, 3) + rng.uniform() * (std::pow(t1, 3) - std::pow(t0, 3)));
    const double rho = radius * t * std::sqrt(rng.uniform()), phi = 2.0 * kPi * rng.uniform();
    for (int k = 0; k < 3; ++k) {
      const double x = o[k] + t * d[k] + rho * (std::cos(phi) * u[k] + std::sin(phi) * v[k]);
      sum[k] += x;
      sum2[k] += x * x;
    }
  }
  for (int k = 0; k < 3; ++k) {
    const double m = sum[k] / n, s2 = sum2[k] / n - m * m;
    INFO("axis " << k);
    CHECK(mean[k] == doctest::Approx(m).epsilon(2e-3));
    CHECK(var[k] == doctest::Approx(s2).epsilon(2e-2));  // 200k samples: ~0.5% statistical error
  }
}
