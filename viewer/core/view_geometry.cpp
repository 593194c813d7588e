#include "viewer/core/view_geometry.h"

#include <algorithm>
#include <cmath>

namespace nerds::viewer {

namespace {
constexpr float kPi = 3.14159265358979f;
}

float fov_y_deg_of(const Intrinsics& k) { return 2.f * std::atan(0.5f * k.height / k.fy) * 180.f / kPi; }

Intrinsics downscaled(const Intrinsics& k, int divisor) {
  if (divisor <= 1) return k;
  Intrinsics d = k;
  d.width = std::max(1, static_cast<int>(std::lround(static_cast<double>(k.width) / divisor)));
  d.height = std::max(1, static_cast<int>(std::lround(static_cast<double>(k.height) / divisor)));
  // Scale by the exact ratio of the rounded sizes, so the image covers the same field of view.
  const float sx = static_cast<float>(d.width) / k.width, sy = static_cast<float>(d.height) / k.height;
  d.fx *= sx;
  d.cx *= sx;
  d.fy *= sy;
  d.cy *= sy;
  return d;
}

Intrinsics band_of(const Intrinsics& k, int y0, int rows) {
  Intrinsics b = k;
  b.cy -= static_cast<float>(y0);
  b.height = rows;
  return b;
}

Intrinsics pixel_of(const Intrinsics& k, float px, float py) {
  Intrinsics p = k;
  p.cx -= px - 0.5f;
  p.cy -= py - 0.5f;
  p.width = 1;
  p.height = 1;
  return p;
}

Rect fit_rect(const Rect& area, int image_width, int image_height) {
  if (image_width <= 0 || image_height <= 0 || area.w <= 0.f || area.h <= 0.f) return area;
  const float scale = std::min(area.w / image_width, area.h / image_height);
  Rect r;
  r.w = image_width * scale;
  r.h = image_height * scale;
  r.x = area.x + 0.5f * (area.w - r.w);
  r.y = area.y + 0.5f * (area.h - r.h);
  return r;
}

bool screen_to_image(const Rect& image_rect, int width, int height, float sx, float sy, float* px, float* py) {
  if (!image_rect.contains(sx, sy) || image_rect.w <= 0.f || image_rect.h <= 0.f) return false;
  *px = (sx - image_rect.x) / image_rect.w * width;
  *py = (sy - image_rect.y) / image_rect.h * height;
  return true;
}

}  // namespace nerds::viewer
