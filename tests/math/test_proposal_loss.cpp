// Mip-NeRF 360's proposal loss and resampling (renderer/math/proposal_loss.h,
// proposal_sampling.h) and the weights' backward (hierarchical_sampling.h): the bound (Eq. 12)
// against a brute-force overlap sum on random intervals, L_prop's gradient (Eq. 13) and the
// weights' backward against finite differences, and resampled intervals sorted inside the ray.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/hierarchical_sampling.h"
#include "renderer/math/proposal_loss.h"
#include "renderer/math/proposal_sampling.h"
#include "renderer/math/rng.h"

using namespace nerds;

namespace {

// n + 1 ascending edges in [lo, hi] (a few equal ones when `ties`, as degenerate intervals).
std::vector<float> random_edges(Pcg32& rng, int n, float lo, float hi, bool ties = false) {
  std::vector<float> e(n + 1);
  float x = 0.f;
  for (int i = 0; i <= n; ++i) {
    if (!(ties && i > 0 && rng.next_float() < 0.15f)) x += 0.05f + rng.next_float();
    e[i] = x;
  }
  const float first = e[0], last = e[n];
  for (float& v : e) v = lo + (hi - lo) * (v - first) / (last - first);
  e[n] = hi;  // exactly, whatever the rounding
  return e;
}

// Eq. 12 by its definition: the proposal weights of every interval [T_j, T_{j+1}) that meets
// [t_i, t_{i+1}] (T_j <= t_{i+1} and T_{j+1} > t_i), summed in double.
double brute_bound(const std::vector<float>& T, const std::vector<float>& w_hat, float a, float b) {
  double s = 0.0;
  for (size_t j = 0; j + 1 < T.size(); ++j)
    if (T[j] <= b && T[j + 1] > a) s += w_hat[j];
  return s;
}

double loss_of(const std::vector<float>& t, const std::vector<float>& w, const std::vector<float>& T,
               const std::vector<float>& w_hat) {
  std::vector<float> bound(w.size());
  return proposal_loss(t.data(), w.data(), static_cast<int>(w.size()), T.data(), w_hat.data(),
                       static_cast<int>(w_hat.size()), bound.data(), 1.f, nullptr);
}

}  // namespace

TEST_CASE("proposal loss: the bound (Eq. 12) is the brute-force sum over overlapping proposal intervals") {
  Pcg32 rng(3, 9);
  for (int trial = 0; trial < 200; ++trial) {
    CAPTURE(trial);
    const int n = 1 + static_cast<int>(rng.next_float() * 40), m = 1 + static_cast<int>(rng.next_float() * 70);
    // The final intervals inside or beyond the proposal's span, either end.
    const float lo = -0.3f + 0.6f * rng.next_float(), hi = lo + 0.2f + 1.5f * rng.next_float();
    const std::vector<float> t = random_edges(rng, n, lo, hi, trial % 3 == 0);
    const std::vector<float> T = random_edges(rng, m, 0.f, 1.f, trial % 4 == 0);
    std::vector<float> w_hat(m);
    for (float& x : w_hat) x = rng.next_float() / m;
    std::vector<float> bound(n);
    proposal_bound(t.data(), n, T.data(), w_hat.data(), m, bound.data());
    for (int i = 0; i < n; ++i) {
      CAPTURE(i);
      // The same terms; the running prefix sums round within a few ulp of the total mass (<= 1).
      CHECK(std::fabs(bound[i] - brute_bound(T, w_hat, t[i], t[i + 1])) <= 1e-6);
    }
  }
  // Shared edges, as the final intervals of a ray share their ends with the proposal's.
  const std::vector<float> T = {0.f, 0.25f, 0.5f, 0.75f, 1.f}, w_hat = {0.1f, 0.2f, 0.3f, 0.4f};
  const std::vector<float> t = {0.f, 0.5f, 0.6f, 1.f};
  std::vector<float> bound(3);
  proposal_bound(t.data(), 3, T.data(), w_hat.data(), 4, bound.data());
  CHECK(bound[0] == doctest::Approx(0.1 + 0.2 + 0.3));  // [0, 0.5] touches [0.5, 0.75) at its end
  CHECK(bound[1] == doctest::Approx(0.3));
  CHECK(bound[2] == doctest::Approx(0.3 + 0.4));
}

TEST_CASE("proposal loss: L_prop is zero under a bound, positive above it, and its gradient matches finite differences") {
  Pcg32 rng(5, 1);
  const std::vector<float> t = random_edges(rng, 12, 0.f, 1.f), T = random_edges(rng, 20, 0.f, 1.f);
  std::vector<float> w(12), w_hat(20);
  for (int i = 0; i < 12; ++i) w[i] = 0.6f * std::exp(-0.3f * (i - 6) * (i - 6)) + 0.01f * rng.next_float();
  // A proposal that holds all the mass everywhere bounds any weights: no loss.
  CHECK(loss_of(t, w, T, std::vector<float>(20, 1.f)) == 0.0);
  // One that holds none: the loss is sum w_i^2 / (w_i + eps) ~ sum w_i.
  double sum_w = 0.0;
  for (float x : w) sum_w += x;
  CHECK(loss_of(t, w, T, std::vector<float>(20, 0.f)) == doctest::Approx(sum_w).epsilon(1e-4));

  for (float& x : w_hat) x = 0.1f * rng.next_float();
  const float scale = 0.37f;
  std::vector<float> bound(12), grad(20);
  proposal_loss(t.data(), w.data(), 12, T.data(), w_hat.data(), 20, bound.data(), scale, grad.data());
  int nonzero = 0;
  for (int j = 0; j < 20; ++j) {
    CAPTURE(j);
    const float h = 1e-3f, x0 = w_hat[j];
    w_hat[j] = x0 + h;
    const double up = loss_of(t, w, T, w_hat);
    w_hat[j] = x0 - h;
    const double down = loss_of(t, w, T, w_hat);
    w_hat[j] = x0;
    const double numeric = scale * (up - down) / (2.0 * h);
    CHECK(grad[j] == doctest::Approx(numeric).epsilon(2e-2).scale(1e-3));
    nonzero += grad[j] != 0.f;
    CHECK(grad[j] <= 0.f);  // more proposal weight never raises the loss
  }
  CHECK(nonzero > 0);
}

TEST_CASE("interval weights: the backward matches finite differences of w = T alpha") {
  Pcg32 rng(8, 2);
  const int n = 16;
  const std::vector<float> edges = random_edges(rng, n, 0.5f, 3.f);
  std::vector<float> sigma(n), d_w(n), w(n), d_sigma(n);
  for (int i = 0; i < n; ++i) {
    sigma[i] = 3.f * rng.next_float();
    d_w[i] = 2.f * rng.next_float() - 1.f;
  }
  interval_weights(sigma.data(), edges.data(), n, w.data());
  interval_weights_backward(sigma.data(), edges.data(), d_w.data(), n, d_sigma.data());
  const auto L = [&]() {
    std::vector<float> ww(n);
    interval_weights(sigma.data(), edges.data(), n, ww.data());
    double s = 0.0;
    for (int i = 0; i < n; ++i) s += static_cast<double>(d_w[i]) * ww[i];
    return s;
  };
  for (int k = 0; k < n; ++k) {
    CAPTURE(k);
    const float h = 1e-3f, x0 = sigma[k];
    sigma[k] = x0 + h;
    const double up = L();
    sigma[k] = x0 - h;
    const double down = L();
    sigma[k] = x0;
    CHECK(d_sigma[k] == doctest::Approx((up - down) / (2.0 * h)).epsilon(1e-2).scale(1e-3));
  }
}

TEST_CASE("proposal resampling: intervals sorted inside [lo, hi], following the histogram") {
  Pcg32 rng(13, 4);
  for (int trial = 0; trial < 100; ++trial) {
    CAPTURE(trial);
    const int n = 1 + static_cast<int>(rng.next_float() * 64), m = 2 + static_cast<int>(rng.next_float() * 64);
    const float lo = 0.1f + rng.next_float(), hi = lo + 0.1f + 3.f * rng.next_float();
    const std::vector<float> edges = random_edges(rng, n, lo, hi);
    std::vector<float> w(n, 0.f);
    const int peak = static_cast<int>(rng.next_float() * n);
    for (int i = 0; i < n; ++i) w[i] = trial % 5 == 0 ? 0.f : (i == peak ? 0.9f : 0.1f * rng.next_float() / n);
    std::vector<float> jitter(m), u(m), centers(m), out(m + 1);
    for (float& x : jitter) x = rng.next_float();
    resample_intervals(edges.data(), w.data(), n, kFinePdfPadding, trial % 2 ? jitter.data() : nullptr, m, lo, hi,
                       u.data(), centers.data(), out.data());
    for (int j = 0; j <= m; ++j) {
      CAPTURE(j);
      CHECK(out[j] >= lo);
      CHECK(out[j] <= hi);
      if (j > 0) CHECK(out[j] >= out[j - 1]);
      if (j < m) {
        CHECK(out[j] <= centers[j]);  // each center lies in its interval
        CHECK(centers[j] <= out[j + 1]);
      }
    }
    if (trial % 5 != 0) {
      // Most new intervals fall inside the peak's bin (0.9 of the mass and more).
      int inside = 0;
      for (int j = 0; j < m; ++j) inside += centers[j] >= edges[peak] && centers[j] <= edges[peak + 1];
      CHECK(inside >= static_cast<int>(0.8f * m) - 1);
    }
  }
  // The first stage: the ray's span of weight 1 gives stratified intervals; without jitter the
  // centers are the strata's centers and the intervals tile [lo, hi].
  const float span[2] = {1.f, 3.f}, one = 1.f;
  float u[4], centers[4], out[5];
  resample_intervals(span, &one, 1, 0.f, nullptr, 4, 1.f, 3.f, u, centers, out);
  const float expected[5] = {1.f, 1.5f, 2.f, 2.5f, 3.f};
  for (int j = 0; j < 5; ++j) CHECK(out[j] == doctest::Approx(expected[j]));
}
