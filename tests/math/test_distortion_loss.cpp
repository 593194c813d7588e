// Mip-NeRF 360's distortion loss (renderer/math/distortion_loss.h): the linear-time form
// against the paper's double sum (Eq. 15) written out, its gradient in the weights and, through
// the compositing weights, in the densities against finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/distortion_loss.h"
#include "tests/test_support/numeric.h"

using nerds_test::GradientCheck;
using nerds_test::Random;

namespace {

struct Ray {
  std::vector<float> t, dt, w, sigma;
  float t_near = 0.f, t_far = 0.f;
};

// n samples on [t_near, t_far], sorted, of random lengths with gaps between them (a marcher
// skips empty space), random weights summing to at most 1 and random densities.
Ray random_ray(Random& rng, int n) {
  Ray r;
  r.t_near = rng.uniformf(0.5f, 2.f);
  r.t_far = r.t_near + rng.uniformf(1.f, 5.f);
  const float slot = (r.t_far - r.t_near) / static_cast<float>(n);
  for (int i = 0; i < n; ++i) {
    const float len = slot * rng.uniformf(0.2f, 1.f);
    const float start = r.t_near + slot * static_cast<float>(i) + rng.uniformf(0.f, slot - len);
    r.dt.push_back(len);
    r.t.push_back(start + 0.5f * len);
    r.w.push_back(rng.uniformf(0.f, 1.f) / static_cast<float>(n));
    r.sigma.push_back(rng.uniformf(0.f, 3.f / slot));
  }
  return r;
}

// Eq. 15 as printed: the double sum over all pairs, in double, s normalised over the ray's
// range after the spacing (identity in the box).
double brute_force(const Ray& r, const nerds::RaySpacing& sp = nerds::RaySpacing{}) {
  const double lo = nerds::spacing_s(sp, r.t_near), range = nerds::spacing_s(sp, r.t_far) - lo;
  const auto s_of = [&](double t) { return (nerds::spacing_s(sp, static_cast<float>(t)) - lo) / range; };
  const int n = static_cast<int>(r.t.size());
  double loss = 0.0;
  for (int i = 0; i < n; ++i) {
    const double s0 = s_of(r.t[i] - 0.5 * r.dt[i]), s1 = s_of(r.t[i] + 0.5 * r.dt[i]);
    for (int j = 0; j < n; ++j) {
      const double u0 = s_of(r.t[j] - 0.5 * r.dt[j]), u1 = s_of(r.t[j] + 0.5 * r.dt[j]);
      loss += static_cast<double>(r.w[i]) * r.w[j] * std::fabs(0.5 * (s0 + s1) - 0.5 * (u0 + u1));
    }
    loss += (1.0 / 3.0) * r.w[i] * r.w[i] * (s1 - s0);
  }
  return loss;
}

void require_close(const GradientCheck& check) {
  INFO("worst at " << check.worst_index << ": analytic " << check.worst_analytic << ", numeric "
                   << check.worst_numeric);
  CHECK(check.worst <= 1.0);
  CHECK(check.checked > 20);
}

}  // namespace

TEST_CASE("distortion loss: the linear-time form equals Eq. 15's double sum on random rays") {
  Random rng(16);
  for (int trial = 0; trial < 50; ++trial) {
    const Ray r = random_ray(rng, 1 + rng.index(40));
    const float fast = nerds::distortion_loss(r.w.data(), r.t.data(), r.dt.data(), static_cast<int>(r.t.size()),
                                              r.t_near, r.t_far, nullptr);
    const double slow = brute_force(r);
    CHECK(fast == doctest::Approx(slow).epsilon(1e-5));
  }
}

TEST_CASE("distortion loss: on a contracted ray s is the proposal sampler's s-space (linear, then disparity)") {
  nerds::WarpSettings warp;
  warp.kind = nerds::WarpKind::Contract;
  warp.contract.radius = 3.f;
  warp.contract.far = 3000.f;
  const nerds::RaySpacing sp = nerds::ray_spacing(warp);
  Random rng(19);
  for (int trial = 0; trial < 20; ++trial) {
    Ray r = random_ray(rng, 2 + rng.index(30));
    // Stretch the ray from the camera out to the far plane, the samples' places with it.
    const float stretch = warp.contract.far / r.t_far;
    r.t_near = 0.f;
    for (size_t i = 0; i < r.t.size(); ++i) {
      r.t[i] *= stretch * (r.t[i] / r.t_far);
      r.dt[i] *= stretch * 0.01f;
    }
    r.t_far = warp.contract.far;
    const float fast = nerds::distortion_loss(r.w.data(), r.t.data(), r.dt.data(), static_cast<int>(r.t.size()),
                                              r.t_near, r.t_far, nullptr, sp);
    CHECK(fast == doctest::Approx(brute_force(r, sp)).epsilon(1e-4));
  }
}

TEST_CASE("distortion loss: a single sample is one third of its squared weight times its length") {
  const float t = 2.f, dt = 0.5f, w = 0.8f;
  const float loss = nerds::distortion_loss(&w, &t, &dt, 1, 1.f, 3.f, nullptr);
  CHECK(loss == doctest::Approx(0.8 * 0.8 * (0.5 / 2.0) / 3.0));
}

TEST_CASE("distortion loss: its gradient in the weights matches finite differences") {
  Random rng(17);
  GradientCheck check;
  for (int trial = 0; trial < 10; ++trial) {
    Ray r = random_ray(rng, 2 + rng.index(20));
    const int n = static_cast<int>(r.t.size());
    std::vector<float> d_w(n);
    nerds::distortion_loss(r.w.data(), r.t.data(), r.dt.data(), n, r.t_near, r.t_far, d_w.data());
    for (int i = 0; i < n; ++i) {
      const double numeric = nerds_test::richardson_difference([&](float v) { r.w[i] = v; },
                                                               [&] { return brute_force(r); }, r.w[i], 1e-3f);
      check.add(i, d_w[i], numeric, 1e-4, 1e-3);
    }
  }
  require_close(check);
}

TEST_CASE("distortion loss: a ray's gradient in the densities matches finite differences") {
  Random rng(18);
  GradientCheck check;
  const float scale = 0.7f;
  for (int trial = 0; trial < 10; ++trial) {
    Ray r = random_ray(rng, 2 + rng.index(20));
    const int n = static_cast<int>(r.t.size());
    std::vector<float> w(n), d_w(n), d_sigma(n, 0.25f);  // the gradient is added to what is there
    nerds::ray_distortion_loss(r.sigma.data(), r.dt.data(), r.t.data(), n, r.t_near, r.t_far, scale, w.data(),
                               d_w.data(), d_sigma.data());
    const auto loss_of_sigma = [&] {  // the same loss in double, from the densities
      Ray q = r;
      double T = 1.0;
      for (int i = 0; i < n; ++i) {
        const double alpha = 1.0 - std::exp(-static_cast<double>(r.sigma[i]) * r.dt[i]);
        q.w[i] = static_cast<float>(T * alpha);
        T *= 1.0 - alpha;
      }
      return scale * brute_force(q);
    };
    for (int i = 0; i < n; ++i) {
      const double numeric = nerds_test::richardson_difference([&](float v) { r.sigma[i] = v; }, loss_of_sigma,
                                                               r.sigma[i], 1e-2f * (1.f + r.sigma[i]));
      check.add(i, d_sigma[i] - 0.25f, numeric, 1e-4, 2e-3);
    }
  }
  require_close(check);
}

TEST_CASE("composite_weights_backward: the gradient of sum_i c_i w_i is the compositing backward's") {
  // A loss linear in the weights with coefficients c_i is the color loss of a one-channel
  // color c_i with d_color = 1 and no background: both backwards must agree.
  Random rng(19);
  const int n = 12;
  std::vector<float> sigma = rng.floats(n, 0.f, 20.f), dt = rng.floats(n, 0.01f, 0.1f), c = rng.floats(n, 0.f, 1.f);
  std::vector<float> rgb(3 * n, 0.f), d_rgb(3 * n), via_color(n), via_weights(n, 0.f);
  for (int i = 0; i < n; ++i) rgb[3 * i] = c[i];
  float T = 1.f, total[3] = {0.f, 0.f, 0.f};
  for (int i = 0; i < n; ++i) total[0] += nerds::composite_step(sigma[i], dt[i], &T).weight * c[i];
  const float d_color[3] = {1.f, 0.f, 0.f};
  nerds::composite_backward(sigma.data(), rgb.data(), dt.data(), n, total, d_color, via_color.data(), d_rgb.data());
  nerds::composite_weights_backward(sigma.data(), dt.data(), n, c.data(), via_weights.data());
  float largest = 0.f;
  for (int i = 0; i < n; ++i) largest = std::fmax(largest, std::fabs(via_color[i]));
  REQUIRE(largest > 0.f);
  for (int i = 0; i < n; ++i) CHECK(std::fabs(via_weights[i] - via_color[i]) <= 1e-4f * largest);
}
