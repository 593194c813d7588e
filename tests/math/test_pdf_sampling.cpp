// Hierarchical sampling (renderer/math/pdf_sampling.h, NeRF Sec. 5.2): inverse transform
// sampling puts more samples where the coarse weights are larger (in proportion), never in an
// empty bin, in sorted order inside the bins; the sample is the exact inverse of the
// piecewise-linear CDF; degenerate weights still give valid samples.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "renderer/math/pdf_sampling.h"
#include "tests/test_support/numeric.h"

using nerds_test::Random;

namespace {

// The bin of t (edges ascending); a t on an inner edge belongs to the bin it starts.
int bin_of(const std::vector<float>& edges, float t) {
  const int n = static_cast<int>(edges.size()) - 1;
  for (int i = 0; i < n; ++i)
    if (t < edges[i + 1]) return i;
  return n - 1;
}

// The piecewise-linear CDF at t, in double.
double cdf_at(const std::vector<float>& edges, const std::vector<float>& w, float padding, float t) {
  double total = 0, below = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    const double m = static_cast<double>(w[i]) + padding;
    total += m;
    if (t >= edges[i + 1])
      below += m;
    else if (t > edges[i])
      below += m * (t - edges[i]) / (edges[i + 1] - edges[i]);
  }
  return below / total;
}

std::vector<float> sample(const std::vector<float>& edges, const std::vector<float>& w, float padding,
                          const std::vector<float>& u) {
  std::vector<float> out(u.size());
  nerds::sample_pdf(edges.data(), w.data(), static_cast<int>(w.size()), padding, u.data(), static_cast<int>(u.size()),
                    out.data());
  return out;
}

}  // namespace

TEST_CASE("hierarchical sampling draws more samples where the weights are larger") {
  const std::vector<float> edges = {2.f, 2.5f, 3.f, 3.2f, 4.f, 4.5f, 5.f, 5.5f, 6.f};  // uneven bins
  const std::vector<float> w = {0.01f, 0.02f, 1.f, 0.05f, 0.5f, 0.f, 0.f, 0.02f};
  const int m = 1000;
  Random rng(31);
  const std::vector<float> jitter = rng.floats(m, 0.f, 1.f);
  std::vector<float> u(m);
  nerds::stratified_uniforms(m, jitter.data(), u.data());
  const std::vector<float> t = sample(edges, w, 0.f, u);

  std::vector<int> count(w.size(), 0);
  for (float x : t) ++count[bin_of(edges, x)];
  double total = 0;
  for (float x : w) total += x;
  for (size_t i = 0; i < w.size(); ++i) {
    // Stratified uniforms: a bin's count is its expected count m w_i / total within 1 (plus 1
    // for a sample on its edge).
    INFO("bin " << i << " weight " << w[i] << " count " << count[i]);
    CHECK(std::fabs(count[i] - m * w[i] / total) <= 2.0);
    if (w[i] == 0.f) CHECK(count[i] == 0);
  }
  // Larger weight, more samples (the bins differ in width: density does not matter, mass does).
  for (size_t i = 0; i < w.size(); ++i)
    for (size_t j = 0; j < w.size(); ++j)
      if (w[i] > 2.f * w[j] + 0.01f) CHECK(count[i] > count[j]);
}

TEST_CASE("hierarchical samples are sorted, inside positive-weight bins, and invert the CDF") {
  Random rng(32);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + rng.index(64), m = 1 + rng.index(128);
    std::vector<float> edges(n + 1), w(n);
    edges[0] = rng.uniformf(0.f, 2.f);
    for (int i = 0; i < n; ++i) {
      edges[i + 1] = edges[i] + rng.uniformf(1e-3f, 0.2f);
      w[i] = rng.index(3) == 0 ? 0.f : rng.uniformf(0.f, 1.f);  // a third of the bins empty
    }
    const float padding = trial % 4 == 0 ? 1e-5f : 0.f;
    std::vector<float> u = rng.floats(m, 0.f, 1.f);
    std::sort(u.begin(), u.end());
    const std::vector<float> t = sample(edges, w, padding, u);
    INFO("trial " << trial);
    CHECK(std::is_sorted(t.begin(), t.end()));
    double total = 0;
    for (float x : w) total += x + padding;
    for (int j = 0; j < m; ++j) {
      REQUIRE(t[j] >= edges[0]);
      REQUIRE(t[j] <= edges[n]);
      if (total > 0 && padding == 0.f) {
        // Inside a bin of positive mass (a sample on a bin's end edge belongs to that bin).
        const int b = bin_of(edges, t[j]);
        const bool in_positive = w[b] > 0.f || (b > 0 && t[j] == edges[b] && w[b - 1] > 0.f);
        CHECK(in_positive);
      }
      if (total > 0) CHECK(cdf_at(edges, w, padding, t[j]) == doctest::Approx(u[j]).epsilon(1e-4));
    }
  }
}

TEST_CASE("hierarchical sampling: golden values and degenerate weights") {
  // Two bins of equal mass, [0, 1] and [1, 3]: u = 0.25 -> 0.5, 0.5 -> 1, 0.75 -> 2.
  const std::vector<float> edges = {0.f, 1.f, 3.f};
  const std::vector<float> t = sample(edges, {1.f, 1.f}, 0.f, {0.25f, 0.5f, 0.75f});
  CHECK(t[0] == doctest::Approx(0.5f));
  CHECK(t[1] == doctest::Approx(1.f));
  CHECK(t[2] == doctest::Approx(2.f));

  // All weights zero: uniform over the whole range; with NeRF's padding, equal mass per bin.
  const std::vector<float> u = {0.f, 0.5f, 0.9f};
  const std::vector<float> flat = sample({0.f, 1.f, 2.f, 4.f}, {0.f, 0.f, 0.f}, 0.f, u);
  CHECK(flat[0] == doctest::Approx(0.f));
  CHECK(flat[1] == doctest::Approx(2.f));
  CHECK(flat[2] == doctest::Approx(3.6f));
  const std::vector<float> padded = sample({0.f, 1.f, 2.f, 4.f}, {0.f, 0.f, 0.f}, 1e-5f, u);
  CHECK(padded[0] == doctest::Approx(0.f));
  CHECK(padded[1] == doctest::Approx(1.5f));
  CHECK(padded[2] == doctest::Approx(3.4f));

  // The largest float below 1 never lands in the empty bins after the last mass.
  const std::vector<float> last = sample({0.f, 1.f, 2.f, 3.f}, {0.3f, 0.f, 0.f}, 0.f, {0.99999994f});
  CHECK(last[0] <= 1.f);
  CHECK(last[0] > 0.99f);
  // ... nor in the empty bins before the first.
  const std::vector<float> first = sample({0.f, 1.f, 2.f, 3.f}, {0.f, 0.f, 0.7f}, 0.f, {0.f});
  CHECK(first[0] == 2.f);
}

TEST_CASE("stratified samples (NeRF Eq. 2), stratified uniforms and merging coarse with fine samples") {
  for (int i = 0; i < 8; ++i) {
    CHECK(nerds::stratified_sample(2.f, 6.f, i, 8, 0.f) == doctest::Approx(2.f + 0.5f * i));
    CHECK(nerds::stratified_sample(2.f, 6.f, i, 8, 0.5f) == doctest::Approx(2.25f + 0.5f * i));
  }
  std::vector<float> u(4);
  nerds::stratified_uniforms(4, nullptr, u.data());
  CHECK(u == std::vector<float>{0.125f, 0.375f, 0.625f, 0.875f});

  const std::vector<float> coarse = {1.f, 2.f, 3.f, 4.f}, fine = {0.5f, 2.f, 2.5f, 4.5f, 5.f};
  std::vector<float> all(coarse.size() + fine.size());
  nerds::merge_sorted(coarse.data(), 4, fine.data(), 5, all.data());
  CHECK(all == std::vector<float>{0.5f, 1.f, 2.f, 2.f, 2.5f, 3.f, 4.f, 4.5f, 5.f});
}
