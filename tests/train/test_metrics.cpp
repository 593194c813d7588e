// Image metrics: MSE/PSNR by definition, SSIM against a direct double-precision reference.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "renderer/train/metrics.h"
#include "renderer/train/peak_memory.h"

using namespace nerds;

namespace {

std::vector<float> random_image(int w, int h, int c, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(w) * h * c);
  for (float& x : v) x = dist(rng);
  return v;
}

// SSIM straight from Wang et al. 2004: for every 11x11 window that fits, the Gaussian-weighted
// means, variances and covariance summed directly in 2D (no separable filter, no clamping).
double reference_ssim(const std::vector<float>& a, const std::vector<float>& b, int w, int h, int channels) {
  double weight[11][11], sum = 0;
  for (int i = 0; i < 11; ++i)
    for (int j = 0; j < 11; ++j) {
      weight[i][j] = std::exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / (2 * 1.5 * 1.5));
      sum += weight[i][j];
    }
  const double c1 = 0.0001, c2 = 0.0009;
  double total = 0;
  int count = 0;
  for (int c = 0; c < channels; ++c)
    for (int y = 0; y + 11 <= h; ++y)
      for (int x = 0; x + 11 <= w; ++x) {
        double mu_a = 0, mu_b = 0;
        for (int i = 0; i < 11; ++i)
          for (int j = 0; j < 11; ++j) {
            const size_t p = (static_cast<size_t>(y + i) * w + x + j) * channels + c;
            mu_a += weight[i][j] / sum * a[p];
            mu_b += weight[i][j] / sum * b[p];
          }
        double var_a = 0, var_b = 0, cov = 0;
        for (int i = 0; i < 11; ++i)
          for (int j = 0; j < 11; ++j) {
            const size_t p = (static_cast<size_t>(y + i) * w + x + j) * channels + c;
            const double da = a[p] - mu_a, db = b[p] - mu_b;
            var_a += weight[i][j] / sum * da * da;
            var_b += weight[i][j] / sum * db * db;
            cov += weight[i][j] / sum * da * db;
          }
        total += (2 * mu_a * mu_b + c1) * (2 * cov + c2) / ((mu_a * mu_a + mu_b * mu_b + c1) * (var_a + var_b + c2));
        ++count;
      }
  return total / count;
}

}  // namespace

TEST_CASE("metrics: mse and psnr") {
  const float a[] = {0.f, 0.5f, 1.f, 0.25f};
  const float b[] = {0.1f, 0.5f, 0.8f, 0.25f};
  const double expected = (double(0.1f) * double(0.1f) + (1.0 - double(0.8f)) * (1.0 - double(0.8f))) / 4;
  CHECK(mse(a, b, 4) == doctest::Approx(expected).epsilon(1e-12));
  CHECK(psnr_from_mse(0.01) == doctest::Approx(20.0).epsilon(1e-12));
  CHECK(psnr_from_mse(1e-3) == doctest::Approx(30.0).epsilon(1e-12));
  CHECK(psnr_from_mse(1.0) == 0.0);
  CHECK(psnr(a, b, 4) == doctest::Approx(-10 * std::log10(expected)).epsilon(1e-12));
  CHECK(std::isinf(psnr(a, a, 4)));
  CHECK(psnr(a, a, 4) > 0);
}

TEST_CASE("metrics: ssim of identical images is 1") {
  const auto img = random_image(40, 33, 3, 0.f, 1.f, 1);
  CHECK(ssim(img.data(), img.data(), 40, 33, 3) == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("metrics: ssim of constant images, by hand") {
  // Zero variances: SSIM = (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1) for every window.
  const std::vector<float> a(16 * 12, 0.3f), b(16 * 12, 0.45f);
  const double ma = 0.3f, mb = 0.45f, c1 = 0.0001;
  CHECK(ssim(a.data(), b.data(), 16, 12, 1) ==
        doctest::Approx((2 * ma * mb + c1) / (ma * ma + mb * mb + c1)).epsilon(1e-9));
}

TEST_CASE("metrics: ssim matches a direct 2D reference") {
  const int w = 23, h = 17, c = 3;
  const auto a = random_image(w, h, c, 0.f, 0.8f, 2);

  SUBCASE("constant-shifted copy") {
    std::vector<float> b(a);
    for (float& x : b) x += 0.2f;
    const double s = ssim(a.data(), b.data(), w, h, c);
    CHECK(s < 0.999);
    CHECK(s == doctest::Approx(reference_ssim(a, b, w, h, c)).epsilon(1e-5));
  }
  SUBCASE("noisy copy") {
    const auto noise = random_image(w, h, c, -0.1f, 0.1f, 3);
    std::vector<float> b(a);
    for (size_t i = 0; i < b.size(); ++i) b[i] += noise[i];
    const double s = ssim(a.data(), b.data(), w, h, c);
    CHECK(s < 0.99);
    CHECK(s == doctest::Approx(reference_ssim(a, b, w, h, c)).epsilon(1e-5));
    CHECK(ssim(b.data(), a.data(), w, h, c) == doctest::Approx(s).epsilon(1e-12));  // symmetric
  }
  SUBCASE("unrelated image, one channel") {
    const auto b = random_image(w, h, 1, 0.f, 1.f, 4);
    const std::vector<float> a1(a.begin(), a.begin() + w * h);
    CHECK(ssim(a1.data(), b.data(), w, h, 1) == doctest::Approx(reference_ssim(a1, b, w, h, 1)).epsilon(1e-5));
  }
}

TEST_CASE("metrics: ssim needs an image at least as large as its window") {
  const std::vector<float> img(10 * 20 * 3, 0.5f);
  CHECK_THROWS_AS(ssim(img.data(), img.data(), 10, 20, 3), std::invalid_argument);
  CHECK_THROWS_AS(ssim(img.data(), img.data(), 20, 10, 3), std::invalid_argument);
  CHECK_NOTHROW(ssim(img.data(), img.data(), 11, 11, 3));
}

TEST_CASE("peak memory: VmHWM grows with touched memory") {
  const size_t mib = 96;
  std::vector<char> block(mib << 20);
  for (size_t i = 0; i < block.size(); i += 4096) block[i] = static_cast<char>(i);
  const size_t peak = peak_rss_mib();
  CHECK(peak >= mib);
  CHECK(peak < (size_t{1} << 20));  // MiB, not kB
  CHECK(block[4096] == static_cast<char>(4096));
}
