// NeRF-W's transient compositing and loss (renderer/math/transient_compositing.h, Eq. 10-13):
// the exact gradient against central differences in double, and the reductions to the plain
// compositing (no transient density) and to the loss's closed form on one sample.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/compositing.h"
#include "renderer/math/rng.h"
#include "renderer/math/transient_compositing.h"

using namespace nerds;

namespace {

constexpr int kN = 7;

struct Ray7 {
  double sigma[kN], rgb[3 * kN], sigma_t[kN], rgb_t[3 * kN], beta[kN], dt[kN];
  double bg[3] = {0.9, 0.4, 0.1}, target[3] = {0.3, 0.6, 0.2};
};

Ray7 random_ray(uint64_t seed) {
  Pcg32 rng(seed, 3);
  Ray7 r;
  for (int k = 0; k < kN; ++k) {
    r.sigma[k] = 4.0 * rng.next_float();
    r.sigma_t[k] = 2.0 * rng.next_float();
    r.beta[k] = 0.05 + rng.next_float();
    r.dt[k] = 0.1 + 0.3 * rng.next_float();
    for (int c = 0; c < 3; ++c) {
      r.rgb[3 * k + c] = rng.next_float();
      r.rgb_t[3 * k + c] = rng.next_float();
    }
  }
  return r;
}

double loss_of(const Ray7& r, double beta_min, double weight) {
  double g[5][3 * kN];
  return transient_ray_loss(r.sigma, r.rgb, r.sigma_t, r.rgb_t, r.beta, r.dt, kN, r.bg, r.target, beta_min, weight, 1.0,
                            g[0], g[1], g[2], g[3], g[4]);
}

// Central difference of the loss in the entry `x` of ray r.
double numeric(Ray7& r, double* x, double beta_min, double weight) {
  const double h = 1e-6, x0 = *x;
  *x = x0 + h;
  const double up = loss_of(r, beta_min, weight);
  *x = x0 - h;
  const double down = loss_of(r, beta_min, weight);
  *x = x0;
  return (up - down) / (2 * h);
}

}  // namespace

TEST_CASE("transient ray loss (NeRF-W Eq. 10-13): gradients match central differences in double") {
  const double beta_min = 0.03, weight = 0.01, scale = 0.25;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    CAPTURE(seed);
    Ray7 r = random_ray(seed);
    double ds[kN], drgb[3 * kN], dst[kN], drgbt[3 * kN], db[kN];
    transient_ray_loss(r.sigma, r.rgb, r.sigma_t, r.rgb_t, r.beta, r.dt, kN, r.bg, r.target, beta_min, weight, scale,
                       ds, drgb, dst, drgbt, db);
    for (int k = 0; k < kN; ++k) {
      CAPTURE(k);
      CHECK(ds[k] == doctest::Approx(scale * numeric(r, &r.sigma[k], beta_min, weight)).epsilon(1e-5).scale(1e-6));
      CHECK(dst[k] == doctest::Approx(scale * numeric(r, &r.sigma_t[k], beta_min, weight)).epsilon(1e-5).scale(1e-6));
      CHECK(db[k] == doctest::Approx(scale * numeric(r, &r.beta[k], beta_min, weight)).epsilon(1e-5).scale(1e-6));
      for (int c = 0; c < 3; ++c) {
        CHECK(drgb[3 * k + c] ==
              doctest::Approx(scale * numeric(r, &r.rgb[3 * k + c], beta_min, weight)).epsilon(1e-5).scale(1e-6));
        CHECK(drgbt[3 * k + c] ==
              doctest::Approx(scale * numeric(r, &r.rgb_t[3 * k + c], beta_min, weight)).epsilon(1e-5).scale(1e-6));
      }
    }
  }
}

TEST_CASE("transient compositing: no transient density gives the static compositing and beta_min") {
  Ray7 r = random_ray(9);
  for (double& s : r.sigma_t) s = 0.0;
  const TransientComposite<double> c =
      transient_composite(r.sigma, r.rgb, r.sigma_t, r.rgb_t, r.beta, r.dt, kN, r.bg, 0.03);
  // NeRF's Eq. 3 (compositing.h, float) over the same background.
  float sigma[kN], rgb[3 * kN], dt[kN], t[kN];
  for (int k = 0; k < kN; ++k) {
    sigma[k] = static_cast<float>(r.sigma[k]);
    dt[k] = static_cast<float>(r.dt[k]);
    t[k] = static_cast<float>(k);
    for (int ch = 0; ch < 3; ++ch) rgb[3 * k + ch] = static_cast<float>(r.rgb[3 * k + ch]);
  }
  CompositeResult plain;
  composite_forward(sigma, rgb, dt, t, kN, 0.f, &plain);
  const float bg[3] = {0.9f, 0.4f, 0.1f};
  float p[3];
  composite_over_background(plain, bg, p);
  for (int ch = 0; ch < 3; ++ch) CHECK(c.rgb[ch] == doctest::Approx(p[ch]).epsilon(1e-5));
  CHECK(c.beta == doctest::Approx(0.03));
  CHECK(c.transient_opacity == 0.0);
}

TEST_CASE("transient ray loss: one opaque transient sample gives Eq. 13's closed form") {
  // One sample, no static density, a transient density so high that alpha^tau = 1: C = c^tau,
  // beta_hat = beta_min + beta, L = |c^tau - target|^2 / (2 beta_hat^2) + log(beta_hat) + lambda_u sigma^tau.
  const double sigma = 0, rgb[3] = {0, 0, 0}, sigma_t = 80, rgb_t[3] = {0.5, 0.25, 1.0}, beta = 0.47, dt = 1;
  const double bg[3] = {1, 1, 1}, target[3] = {0.25, 0.25, 0.75};
  double g[5][3];
  const double loss = transient_ray_loss(&sigma, rgb, &sigma_t, rgb_t, &beta, &dt, 1, bg, target, 0.03, 0.01, 1.0,
                                         g[0], g[1], g[2], g[3], g[4]);
  const double b = 0.5, err2 = 0.0625 + 0.0 + 0.0625;
  CHECK(loss == doctest::Approx(err2 / (2 * b * b) + std::log(b) + 0.01 * 80).epsilon(1e-9));
}
