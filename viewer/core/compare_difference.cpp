#include "viewer/core/compare_difference.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace nerds::viewer {

DifferenceImage difference_image(const ColorImage& a, const ColorImage& b) {
  DifferenceImage d;
  if (a.width != b.width || a.height != b.height || a.rgba.size() != b.rgba.size()) return d;
  const size_t n = static_cast<size_t>(a.width) * a.height;
  std::vector<float> diff(n);
  double sum = 0.0;
  float top = 1.f / 255.f;
  for (size_t i = 0; i < n; ++i) {
    int s = 0;
    for (int c = 0; c < 3; ++c) s += std::abs(int(a.rgba[4 * i + c]) - int(b.rgba[4 * i + c]));
    diff[i] = s / (3.f * 255.f);
    sum += diff[i];
    top = std::max(top, diff[i]);
  }
  d.span = top;
  d.mean = n ? static_cast<float>(sum / n) : 0.f;
  d.image.width = a.width;
  d.image.height = a.height;
  d.image.rgba.resize(4 * n);
  for (size_t i = 0; i < n; ++i) {
    turbo(diff[i] / top, &d.image.rgba[4 * i]);
    d.image.rgba[4 * i + 3] = 255;
  }
  return d;
}

}  // namespace nerds::viewer
