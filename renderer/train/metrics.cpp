#include "renderer/train/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace nerds {

double mse(const float* a, const float* b, size_t n) {
  if (n == 0) return 0.0;
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
    sum += d * d;
  }
  return sum / static_cast<double>(n);
}

double psnr_from_mse(double mse) {
  if (mse <= 0.0) return std::numeric_limits<double>::infinity();
  return -10.0 * std::log10(mse);
}

double psnr(const float* a, const float* b, size_t n) { return psnr_from_mse(mse(a, b, n)); }

namespace {

constexpr int kWindow = 11;
constexpr int kRadius = kWindow / 2;
constexpr double kSigma = 1.5;
constexpr double kC1 = 0.01 * 0.01;  // (K1 * data range)^2
constexpr double kC2 = 0.03 * 0.03;  // (K2 * data range)^2

// The five local moments SSIM needs: E[a], E[b], E[a^2], E[b^2], E[ab].
constexpr int kMoments = 5;

}  // namespace

double ssim(const float* a, const float* b, int width, int height, int channels) {
  if (width < kWindow || height < kWindow || channels < 1)
    throw std::invalid_argument("ssim: a " + std::to_string(width) + "x" + std::to_string(height) + "x" +
                                std::to_string(channels) + " image is smaller than the 11x11 window");
  double g[kWindow];
  double g_sum = 0.0;
  for (int i = 0; i < kWindow; ++i) {
    const double t = (i - kRadius) / kSigma;
    g[i] = std::exp(-0.5 * t * t);
    g_sum += g[i];
  }
  for (double& v : g) v /= g_sum;

  // The 2D Gaussian is the outer product of g with itself, so filter rows, then columns:
  // 22 instead of 121 multiply-adds per moment and pixel. Sums in double: sigma^2 is a
  // small difference of large moments (E[a^2] - E[a]^2) and float would lose it.
  const int out_w = width - 2 * kRadius, out_h = height - 2 * kRadius;
  const size_t w = static_cast<size_t>(width), ow = static_cast<size_t>(out_w);
  std::vector<double> rows(static_cast<size_t>(kMoments) * height * ow);  // after the horizontal pass
  std::vector<double> line(static_cast<size_t>(kMoments) * w);            // one image row's moments
  std::vector<double> column(static_cast<size_t>(kMoments) * ow);         // one output row's moments
  double total = 0.0;
  for (int c = 0; c < channels; ++c) {
    for (int y = 0; y < height; ++y) {
      double* m = line.data();
      for (size_t x = 0; x < w; ++x) {
        const double va = a[(y * w + x) * channels + c], vb = b[(y * w + x) * channels + c];
        m[x] = va;
        m[w + x] = vb;
        m[2 * w + x] = va * va;
        m[3 * w + x] = vb * vb;
        m[4 * w + x] = va * vb;
      }
      for (int q = 0; q < kMoments; ++q) {
        double* out = rows.data() + (static_cast<size_t>(q) * height + y) * ow;
        const double* in = line.data() + q * w;
        std::fill(out, out + ow, 0.0);
        for (int k = 0; k < kWindow; ++k)
          for (size_t x = 0; x < ow; ++x) out[x] += g[k] * in[x + k];
      }
    }
    for (int y = 0; y < out_h; ++y) {
      for (int q = 0; q < kMoments; ++q) {
        double* out = column.data() + q * ow;
        std::fill(out, out + ow, 0.0);
        for (int k = 0; k < kWindow; ++k) {
          const double* in = rows.data() + (static_cast<size_t>(q) * height + y + k) * ow;
          for (size_t x = 0; x < ow; ++x) out[x] += g[k] * in[x];
        }
      }
      for (size_t x = 0; x < ow; ++x) {
        const double mu_a = column[x], mu_b = column[ow + x];
        // Clamped as in the mip-NeRF evaluation code: rounding must not make a variance
        // negative or a covariance exceed what the variances allow.
        const double var_a = std::max(0.0, column[2 * ow + x] - mu_a * mu_a);
        const double var_b = std::max(0.0, column[3 * ow + x] - mu_b * mu_b);
        double cov = column[4 * ow + x] - mu_a * mu_b;
        cov = std::copysign(std::min(std::sqrt(var_a * var_b), std::abs(cov)), cov);
        total += ((2 * mu_a * mu_b + kC1) * (2 * cov + kC2)) /
                 ((mu_a * mu_a + mu_b * mu_b + kC1) * (var_a + var_b + kC2));
      }
    }
  }
  return total / (static_cast<double>(ow) * out_h * channels);
}

}  // namespace nerds
