#include "viewer/core/grid_slice_colors.h"

#include <algorithm>
#include <cmath>

namespace nerds::viewer {

namespace {

constexpr double kPercentile = 0.99;

uint8_t byte_of(float x) { return static_cast<uint8_t>(std::lround(255.f * std::clamp(x, 0.f, 1.f))); }

}  // namespace

float robust_abs_scale(const std::vector<float>& values, int channel, int stride) {
  std::vector<float> a;
  for (size_t i = static_cast<size_t>(channel); i < values.size(); i += static_cast<size_t>(stride))
    a.push_back(std::abs(values[i]));
  if (a.empty()) return 0.f;
  const size_t k = static_cast<size_t>(kPercentile * static_cast<double>(a.size() - 1));
  std::nth_element(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(k), a.end());
  return a[k];
}

GridSliceColors colorize_grid_slice(const GridSlice& s) {
  GridSliceColors out;
  const int F = std::max(s.features, 1), shown = std::min(F, 3);
  for (int c = 0; c < shown; ++c) out.scale.push_back(robust_abs_scale(s.values, c, F));
  out.image.width = s.width;
  out.image.height = s.height;
  const size_t n = static_cast<size_t>(s.width) * s.height;
  out.image.rgba.assign(4 * n, 255);
  for (size_t p = 0; p < n && (p + 1) * F <= s.values.size(); ++p) {
    float v[3] = {0.f, 0.f, 0.f};  // each channel in [-1, 1]
    for (int c = 0; c < shown; ++c)
      v[c] = out.scale[c] > 0.f ? std::clamp(s.values[p * F + c] / out.scale[c], -1.f, 1.f) : 0.f;
    float rgb[3];
    if (shown == 1) {  // blue (-1), white (0), red (+1)
      rgb[0] = v[0] < 0.f ? 1.f + v[0] : 1.f;
      rgb[1] = 1.f - std::abs(v[0]);
      rgb[2] = v[0] > 0.f ? 1.f - v[0] : 1.f;
    } else if (shown == 2) {
      rgb[0] = 0.5f + 0.5f * v[0];
      rgb[1] = 0.5f - 0.25f * (v[0] + v[1]);
      rgb[2] = 0.5f + 0.5f * v[1];
    } else {
      for (int c = 0; c < 3; ++c) rgb[c] = 0.5f + 0.5f * v[c];
    }
    for (int c = 0; c < 3; ++c) out.image.rgba[4 * p + c] = byte_of(rgb[c]);
  }
  return out;
}

}  // namespace nerds::viewer
