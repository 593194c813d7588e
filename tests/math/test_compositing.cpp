// Volume-rendering quadrature, losses and Adam (renderer/math/compositing.h, losses.h,
// adam.h): golden analytic cases, early termination, piecewise compositing, and the
// backward passes against finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "renderer/math/adam.h"
#include "renderer/math/compositing.h"
#include "renderer/math/losses.h"
#include "tests/test_support/numeric.h"

using nerds::CompositeResult;
using nerds_test::Random;

namespace {

struct RaySamples {
  std::vector<float> sigma, rgb, dt, t;
  int n() const { return static_cast<int>(sigma.size()); }
  void add(float s, float r, float g, float b, float step, float at) {
    sigma.push_back(s);
    rgb.insert(rgb.end(), {r, g, b});
    dt.push_back(step);
    t.push_back(at);
  }
};

// A slab of constant density and color: n steps of d/n from t = t0.
RaySamples slab(float sigma, float d, int n, float r, float g, float b, float t0 = 1.f) {
  RaySamples s;
  const float step = d / static_cast<float>(n);
  for (int i = 0; i < n; ++i) s.add(sigma, r, g, b, step, t0 + (static_cast<float>(i) + 0.5f) * step);
  return s;
}

CompositeResult composite(const RaySamples& s, float min_transmittance) {
  CompositeResult r;
  nerds::composite_forward(s.sigma.data(), s.rgb.data(), s.dt.data(), s.t.data(), s.n(), min_transmittance, &r);
  return r;
}

}  // namespace

TEST_CASE("homogeneous slab: transmittance exp(-sigma d), the product of (1 - alpha)") {
  for (const float sigma : {0.5f, 3.f, 20.f}) {
    for (const int n : {1, 10, 1000}) {
      CAPTURE(sigma);
      CAPTURE(n);
      const float d = 0.4f;
      const RaySamples s = slab(sigma, d, n, 0.2f, 0.5f, 0.9f);
      const CompositeResult r = composite(s, 0.f);  // no early termination
      CHECK(r.used == n);
      // The quadrature is exact for piecewise-constant density: T = prod exp(-sigma dt_i) =
      // exp(-sigma d). Only float rounding separates them. Each factor is formed as
      // 1 - alpha with alpha = 1 - expf(-sigma dt) rounded to ~6e-8 absolute, i.e. a relative
      // error of 6e-8 / exp(-sigma dt) (large for one thick step: the cancellation in 1 - alpha),
      // plus ~1 ulp for expf and the product: |rel err| <= n * 6e-8 * (2 + exp(sigma dt)).
      const double exact = std::exp(-static_cast<double>(sigma) * d);
      const double factor_error = 6e-8 * (2.0 + std::exp(static_cast<double>(sigma) * d / n));
      CHECK(std::fabs(r.transmittance - exact) <= exact * n * factor_error);
      // "Exactly the product formula": the same float operations give the same bits.
      float T = 1.f;
      for (int i = 0; i < n; ++i) T *= 1.f - (1.f - std::exp(-s.sigma[i] * s.dt[i]));
      CHECK(r.transmittance == doctest::Approx(T).epsilon(1e-6));
      // A constant color composites to color * opacity (the weights T_i alpha_i telescope
      // to 1 - T_N); add background * T behind it. Against the float T_N the only error is
      // the running sum's rounding, n additions of <= 6e-8 relative each; against the exact
      // T the error of T_N (bounded above) adds to it.
      const float bg[3] = {1.f, 0.25f, 0.f};
      const float c[3] = {0.2f, 0.5f, 0.9f};
      const double T_N = r.transmittance;
      const double sum_error = (n + 2) * 6e-8;
      for (int k = 0; k < 3; ++k) {
        const double total = r.rgb[k] + r.transmittance * bg[k];
        CHECK(std::fabs(r.rgb[k] - c[k] * (1.0 - T_N)) <= c[k] * sum_error + 1e-9);
        CHECK(std::fabs(total - (c[k] * (1.0 - T_N) + bg[k] * T_N)) <= sum_error + 1e-9);
        CHECK(std::fabs(total - (c[k] * (1.0 - exact) + bg[k] * exact)) <=
              sum_error + exact * n * factor_error + 1e-9);
      }
    }
  }
  // Expected depth sum w_i t_i of a slab starting at t0: the continuous value is the
  // integral of t sigma e^{-sigma (t - t0)} over the slab; with each step's exact weight placed
  // at its midpoint the discrete sum is within O(sigma dt^2) ~ 1e-6 of it at n = 1000.
  const float sigma = 3.f, d = 0.4f, t0 = 1.f;
  const CompositeResult r = composite(slab(sigma, d, 1000, 1, 1, 1, t0), 0.f);
  const double e = std::exp(-static_cast<double>(sigma) * d);
  const double integral = t0 * (1 - e) + (1 - e * (1 + sigma * d)) / sigma;  // int_0^d (t0+s) sigma e^{-sigma s} ds
  CHECK(r.depth == doctest::Approx(integral).epsilon(1e-4));
}

TEST_CASE("early termination stops at the first sample whose transmittance is below the threshold") {
  // T before each sample: 1, 0.5, 0.25, 1e-5 (after a nearly opaque third sample), ...
  RaySamples s;
  const float dt = 0.1f;
  s.add(std::log(2.f) / dt, 0.1f, 0.2f, 0.3f, dt, 1.0f);  // alpha 0.5
  s.add(std::log(2.f) / dt, 0.4f, 0.5f, 0.6f, dt, 1.1f);  // alpha 0.5
  s.add(std::log(25000.f) / dt, 0.7f, 0.8f, 0.9f, dt, 1.2f);  // T: 0.25 -> 1e-5
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int i = 0; i < 5; ++i) s.add(nan, nan, nan, nan, dt, 1.3f + 0.1f * i);  // must never be read
  const CompositeResult r = composite(s, 1e-4f);
  CHECK(r.used == 3);
  CHECK(r.transmittance == doctest::Approx(1e-5).epsilon(1e-3));
  CHECK(std::isfinite(r.rgb[0]));
  CHECK(r.rgb[0] == doctest::Approx(0.5 * 0.1 + 0.25 * 0.4 + (0.25 - 1e-5) * 0.7).epsilon(1e-5));
  // A threshold between 0.5 and 0.25: samples 0 and 1 are used (T 1 and 0.5 >= 0.3).
  CHECK(composite(s, 0.3f).used == 2);
  // Just above 1e-5, the sample after the opaque one is still refused; just below, it is used.
  CHECK(composite(s, 2e-5f).used == 3);
  CHECK(composite(s, 5e-6f).used == 4);  // (reads the NaN sample, whose T then stops the loop)
  // A transmittance exactly at the threshold still counts as visible (T >= threshold): use
  // the float T in front of the third sample, as composite_forward computes it, as threshold.
  RaySamples first_two = s;
  first_two.sigma.resize(2);
  first_two.rgb.resize(6);
  first_two.dt.resize(2);
  first_two.t.resize(2);
  const float T2 = composite(first_two, 0.f).transmittance;
  CHECK(composite(s, T2).used == 3);
  CHECK(composite(s, std::nextafter(T2, 1.f)).used == 2);
  // A threshold of 0 never terminates early: every sample is used.
  RaySamples finite = s;
  finite.sigma.resize(3);
  finite.rgb.resize(9);
  finite.dt.resize(3);
  finite.t.resize(3);
  CHECK(composite(finite, 0.f).used == 3);
}

TEST_CASE("compositing in pieces with carried state equals one call") {
  Random rng(3);
  RaySamples s;
  for (int i = 0; i < 200; ++i)
    s.add(rng.uniformf(0.f, 30.f), rng.uniformf(0.f, 1.f), rng.uniformf(0.f, 1.f), rng.uniformf(0.f, 1.f), 0.01f,
          1.f + 0.01f * i);
  for (const float threshold : {0.f, 1e-4f, 0.05f}) {
    CAPTURE(threshold);
    const CompositeResult whole = composite(s, threshold);
    CompositeResult pieces;
    for (const int size : {1, 7, 8, 16, 32, 64, 1000}) {
      const int begin = pieces.used;
      const int count = std::min(size, s.n() - begin);
      if (count <= 0) break;
      // As the wavefront renderer does: stop handing out samples once T is below threshold.
      if (pieces.transmittance < threshold) break;
      nerds::composite_forward(s.sigma.data() + begin, s.rgb.data() + 3 * begin, s.dt.data() + begin,
                               s.t.data() + begin, count, threshold, &pieces);
    }
    CHECK(pieces.used == whole.used);
    CHECK(pieces.transmittance == whole.transmittance);
    CHECK(pieces.depth == whole.depth);
    for (int k = 0; k < 3; ++k) CHECK(pieces.rgb[k] == whole.rgb[k]);
    if (threshold > 0.f) CHECK(whole.used < s.n());  // the case really terminated early
  }
}

TEST_CASE("composite_step: the per-sample terms composite_forward sums, T advanced to the next sample") {
  Random rng(11);
  RaySamples s;
  for (int i = 0; i < 50; ++i)
    s.add(rng.uniformf(0.f, 40.f), rng.uniformf(0.f, 1.f), rng.uniformf(0.f, 1.f), rng.uniformf(0.f, 1.f),
          rng.uniformf(0.005f, 0.02f), 1.f + 0.01f * i);
  // Alpha, T_i and w_i = T_i alpha_i of each sample; the weighted sums are composite_forward's
  // (the same float operations in the same order: the same bits).
  float T = 1.f;
  float rgb[3] = {0.f, 0.f, 0.f}, depth = 0.f;
  for (int i = 0; i < s.n(); ++i) {
    const float T_before = T;
    const nerds::SampleWeight w = nerds::composite_step(s.sigma[i], s.dt[i], &T);
    CHECK(w.alpha == nerds::sample_alpha(s.sigma[i], s.dt[i]));
    CHECK(w.transmittance == T_before);
    CHECK(w.weight == T_before * w.alpha);
    CHECK(T == T_before * (1.f - w.alpha));
    for (int k = 0; k < 3; ++k) rgb[k] += w.weight * s.rgb[3 * i + k];
    depth += w.weight * s.t[i];
  }
  const CompositeResult r = composite(s, 0.f);
  CHECK(r.transmittance == T);
  CHECK(r.depth == depth);
  for (int k = 0; k < 3; ++k) CHECK(r.rgb[k] == rgb[k]);
}

TEST_CASE("composite_over_background and composite_pixel: C + T_N * background, opacity 1 - T_N, depth") {
  CompositeResult c;
  c.rgb[0] = 0.3f;
  c.rgb[1] = 0.1f;
  c.rgb[2] = 0.f;
  c.transmittance = 0.25f;
  c.depth = 1.5f;
  const float bg[3] = {1.f, 0.5f, 0.2f};
  float out[3];
  nerds::composite_over_background(c, bg, out);
  CHECK(out[0] == 0.3f + 0.25f * 1.f);
  CHECK(out[1] == 0.1f + 0.25f * 0.5f);
  CHECK(out[2] == 0.f + 0.25f * 0.2f);
  const nerds::CompositePixel p = nerds::composite_pixel(c, bg);
  for (int k = 0; k < 3; ++k) CHECK(p.rgb[k] == out[k]);
  CHECK(p.opacity == 0.75f);
  CHECK(p.depth == 1.5f);
  // An empty ray shows the background alone, with no opacity.
  const nerds::CompositePixel empty = nerds::composite_pixel(CompositeResult{}, bg);
  for (int k = 0; k < 3; ++k) CHECK(empty.rgb[k] == bg[k]);
  CHECK(empty.opacity == 0.f);
  CHECK(empty.depth == 0.f);
}

TEST_CASE("composite_backward matches finite differences of a loss of the total color") {
  Random rng(12);
  for (const float threshold : {0.f, 1e-4f}) {
    CAPTURE(threshold);
    RaySamples s;
    const int n = 24;
    for (int i = 0; i < n; ++i)
      s.add(rng.uniformf(0.f, 2.f), rng.uniformf(0.f, 1.f), rng.uniformf(0.f, 1.f), rng.uniformf(0.f, 1.f),
            rng.uniformf(0.02f, 0.08f), 1.f + 0.05f * i);
    if (threshold > 0.f) s.sigma[15] = 400.f;  // T drops ~1e-9: samples 16.. are not used
    const float bg[3] = {0.3f, 0.9f, 0.6f};
    const float target[3] = {0.2f, 0.4f, 0.8f};

    // L = l2(C_total, target) with C_total = composite + T_N * background.
    auto total = [&](const RaySamples& x, float* out) {
      const CompositeResult r = composite(x, threshold);
      for (int k = 0; k < 3; ++k) out[k] = r.rgb[k] + r.transmittance * bg[k];
      return r.used;
    };
    auto loss = [&](const RaySamples& x) {
      float c[3];
      total(x, c);
      double l = 0.0;
      for (int k = 0; k < 3; ++k) l += (static_cast<double>(c[k]) - target[k]) * (c[k] - target[k]);
      return l;
    };
    float c[3], d_color[3];
    const int used = total(s, c);
    if (threshold > 0.f) CHECK(used == 16);
    else CHECK(used == n);
    for (int k = 0; k < 3; ++k) d_color[k] = 2.f * (c[k] - target[k]);
    std::vector<float> d_sigma(n, -99.f), d_rgb(3 * n, -99.f);
    nerds::composite_backward(s.sigma.data(), s.rgb.data(), s.dt.data(), used, c, d_color, d_sigma.data(), d_rgb.data());

    // C is smooth in sigma (through exp) and linear in rgb. Richardson-extrapolated central
    // differences with h = 0.05 in sigma: truncation O((h dt)^4) ~ 1e-14, negligible; float
    // rounding of C (~3e-7 over 24 terms) gives ~1e-6 in L, over 2h = 0.1 -> 1e-5, and for
    // rgb (h = 0.05) the same. Gradients are of order dt * |C - target| ~ 1e-2 for sigma and
    // w_i ~ 0.05 for rgb; atol 5e-5 + rtol 1e-3 resolves a 1% error in d_sigma, a wrong
    // transmittance (T_i for T_{i+1}) and, in the case without early termination (where
    // T_N ~ 0.3 with these densities), a remainder C_total - sum w c that leaves out the
    // background (all checked by editing a copy of compositing.h or of this test).
    RaySamples x = s;
    nerds_test::GradientCheck check;
    for (int i = 0; i < n; ++i) {
      const double fd = nerds_test::richardson_difference([&](float v) { x.sigma[i] = v; }, [&] { return loss(x); },
                                                          s.sigma[i], 0.05f);
      const double analytic = i < used ? d_sigma[i] : 0.0;  // unused samples have no gradient
      check.add(i, analytic, fd, 5e-5, 1e-3);
      for (int k = 0; k < 3; ++k) {
        const double fdc = nerds_test::richardson_difference([&](float v) { x.rgb[3 * i + k] = v; },
                                                             [&] { return loss(x); }, s.rgb[3 * i + k], 0.05f);
        check.add(100 + 3 * i + k, i < used ? d_rgb[3 * i + k] : 0.0, fdc, 5e-5, 1e-3);
      }
    }
    INFO("worst at " << check.worst_index << ": analytic " << check.worst_analytic << " numeric "
                     << check.worst_numeric);
    CHECK(check.worst <= 1.0);
    // Only the used samples are written.
    for (int i = used; i < n; ++i) CHECK(d_sigma[i] == -99.f);
  }
}

TEST_CASE("l2 and Huber losses: values and gradients against finite differences") {
  Random rng(8);
  const float scale = 1.f / 12.f;
  for (int trial = 0; trial < 50; ++trial) {
    float pred[3], target[3];
    for (int k = 0; k < 3; ++k) {
      pred[k] = rng.uniformf(0.f, 1.f);
      target[k] = rng.uniformf(0.f, 1.f);
    }
    const float delta = 0.1f;
    // Residuals this close to +-delta would straddle the kink of the Huber loss.
    bool near_kink = false;
    for (int k = 0; k < 3; ++k) near_kink = near_kink || std::fabs(std::fabs(pred[k] - target[k]) - delta) < 0.01f;
    float d_l2[3], d_huber[3], d_dispatch[3];
    const float l2 = nerds::l2_loss(pred, target, scale, d_l2);
    const float hub = nerds::huber_loss(pred, target, delta, scale, d_huber);
    double l2_expected = 0.0, huber_expected = 0.0;
    for (int k = 0; k < 3; ++k) {
      const double r = static_cast<double>(pred[k]) - target[k];
      l2_expected += r * r;
      huber_expected += std::fabs(r) <= delta ? 0.5 * r * r / delta : std::fabs(r) - 0.5 * delta;
    }
    CHECK(l2 == doctest::Approx(l2_expected).epsilon(1e-5).scale(1e-6));
    CHECK(hub == doctest::Approx(huber_expected).epsilon(1e-5).scale(1e-6));
    CHECK(nerds::photometric_loss(nerds::LossKind::L2, pred, target, delta, scale, d_dispatch) == l2);
    CHECK(nerds::photometric_loss(nerds::LossKind::Huber, pred, target, delta, scale, d_dispatch) == hub);
    for (int k = 0; k < 3; ++k) CHECK(d_dispatch[k] == d_huber[k]);
    // d_pred is d(scale * loss)/d pred: quadratic / piecewise quadratic-linear in pred, so the
    // central difference with h = 1e-3 is exact up to float rounding (~1e-7 / 2e-3 = 5e-5
    // relative to the loss' scale of ~1): atol 1e-4.
    for (int k = 0; k < 3; ++k) {
      float p[3] = {pred[0], pred[1], pred[2]};
      float unused[3];
      const double fd_l2 = nerds_test::central_difference(
          [&](float v) { p[k] = v; }, [&] { return scale * static_cast<double>(nerds::l2_loss(p, target, scale, unused)); },
          pred[k], 1e-3f);
      CHECK(std::fabs(d_l2[k] - fd_l2) < 1e-4);
      if (!near_kink) {
        const double fd_h = nerds_test::central_difference(
            [&](float v) { p[k] = v; },
            [&] { return scale * static_cast<double>(nerds::huber_loss(p, target, delta, scale, unused)); }, pred[k],
            1e-3f);
        CHECK(std::fabs(d_huber[k] - fd_h) < 1e-4);
      }
    }
  }
  // The Huber loss is continuous with a continuous derivative at |r| = delta.
  const float target[3] = {0.f, 0.f, 0.f};
  float below[3] = {0.1f - 1e-4f, 0.f, 0.f}, above[3] = {0.1f + 1e-4f, 0.f, 0.f};
  float d_below[3], d_above[3];
  const float l_below = nerds::huber_loss(below, target, 0.1f, 1.f, d_below);
  const float l_above = nerds::huber_loss(above, target, 0.1f, 1.f, d_above);
  CHECK(std::fabs(l_above - l_below) < 3e-4);
  CHECK(std::fabs(d_above[0] - d_below[0]) < 3e-3);
  CHECK(d_above[0] == 1.f);
}

TEST_CASE("Adam: a hand-computed step, weight decay and skipped zero gradients") {
  // Two steps from p = 1, m = v = 0 with g = 0.5 then -0.25, lr 0.01, beta 0.9 / 0.99,
  // written out (Kingma & Ba 2015, Algorithm 1) in double.
  const double lr = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-15;
  double p = 1.0, m = 0.0, v = 0.0;
  float pf = 1.f, mf = 0.f, vf = 0.f;
  const double grads[2] = {0.5, -0.25};
  for (int t = 1; t <= 2; ++t) {
    const double g = grads[t - 1];
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const double m_hat = m / (1 - std::pow(b1, t)), v_hat = v / (1 - std::pow(b2, t));
    p -= lr * m_hat / (std::sqrt(v_hat) + eps);
    const nerds::AdamStep step = nerds::make_adam_step(0.01f, 0.9f, 0.99f, 1e-15f, t, 0.f);
    CHECK(step.bias1 == doctest::Approx(1 - std::pow(b1, t)).epsilon(1e-6));
    CHECK(step.bias2 == doctest::Approx(1 - std::pow(b2, t)).epsilon(1e-5));
    CHECK(nerds::adam_update(step, static_cast<float>(g), true, &pf, &mf, &vf));
    CHECK(mf == doctest::Approx(m).epsilon(1e-6));
    CHECK(vf == doctest::Approx(v).epsilon(1e-6));
    CHECK(pf == doctest::Approx(p).epsilon(1e-6));
  }
  // The same two steps by hand: step 1 moves by lr * sign(g) (m_hat / sqrt(v_hat) = g / |g|)
  // to 0.99; step 2 has m = 0.02, v = 0.0031, bias corrections 0.19 and 0.0199.
  CHECK(p == doctest::Approx(0.99 - 0.01 * (0.02 / 0.19) / std::sqrt(0.0031 / 0.0199)).epsilon(1e-9));

  // Weight decay adds l2_reg * p to the gradient before the moments.
  {
    float q = 2.f, mq = 0.f, vq = 0.f;
    const nerds::AdamStep step = nerds::make_adam_step(0.1f, 0.9f, 0.99f, 1e-15f, 1, 0.5f);
    nerds::adam_update(step, 1.f, false, &q, &mq, &vq);
    CHECK(mq == doctest::Approx(0.1 * (1.0 + 0.5 * 2.0)));
    CHECK(vq == doctest::Approx(0.01 * 4.0));
    CHECK(q == doctest::Approx(1.9));
  }
  // An exactly-zero gradient is skipped when asked (hash entries no sample touched): the
  // parameter and both moments stay bit-identical. Otherwise the moments decay and the
  // parameter keeps moving on its momentum.
  {
    float q = 0.7f, mq = 0.03f, vq = 0.002f;
    const nerds::AdamStep step = nerds::make_adam_step(0.01f, 0.9f, 0.99f, 1e-15f, 5, 0.f);
    CHECK_FALSE(nerds::adam_update(step, 0.f, true, &q, &mq, &vq));
    CHECK(q == 0.7f);
    CHECK(mq == 0.03f);
    CHECK(vq == 0.002f);
    CHECK(nerds::adam_update(step, 0.f, false, &q, &mq, &vq));
    CHECK(mq == doctest::Approx(0.027));
    CHECK(vq == doctest::Approx(0.00198));
    CHECK(q < 0.7f);
    // A tiny but non-zero gradient is not skipped.
    float r = 0.7f, mr = 0.f, vr = 0.f;
    CHECK(nerds::adam_update(step, 1e-30f, true, &r, &mr, &vr));
    CHECK(mr != 0.f);
  }
}
