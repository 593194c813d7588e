#include "viewer/core/layer_colors.h"

#include <algorithm>
#include <cmath>

#include "viewer/core/image_colors.h"

namespace nerds::viewer {

std::vector<float> layer_rgb(const RenderedImage& image, RenderMode mode, float range[2]) {
  const RenderBuffers& b = image.buffers;
  const size_t n = b.opacity.size();
  range[0] = 0.f;
  range[1] = 1.f;
  if (b.layer.size() != 3 * n || n == 0) return {};
  std::vector<float> rgb(3 * n);
  if (mode == RenderMode::Normals || mode == RenderMode::PredictedNormals) {
    for (size_t i = 0; i < n; ++i) {
      const float a = std::clamp(b.opacity[i], 0.f, 1.f);
      for (int k = 0; k < 3; ++k)
        rgb[3 * i + k] = (b.layer[3 * i + k] * 0.5f + 0.5f) * a + image.background[k] * (1.f - a);
    }
    return rgb;
  }
  if (mode == RenderMode::Uncertainty) {
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; ++i) {
      lo = std::min(lo, b.layer[3 * i]);
      hi = std::max(hi, b.layer[3 * i]);
    }
    range[0] = lo;
    range[1] = hi;
    const float span = hi > lo ? hi - lo : 1.f;
    for (size_t i = 0; i < n; ++i) {
      uint8_t c[3];
      turbo((b.layer[3 * i] - lo) / span, c);
      for (int k = 0; k < 3; ++k) rgb[3 * i + k] = c[k] / 255.f;
    }
    return rgb;
  }
  for (size_t i = 0; i < 3 * n; ++i) rgb[i] = std::clamp(b.layer[i], 0.f, 1.f);
  return rgb;
}

}  // namespace nerds::viewer
