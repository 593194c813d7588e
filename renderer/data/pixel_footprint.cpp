#include "renderer/data/pixel_footprint.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace nerds {

float median_pixel_footprint(const Dataset& data) {
  std::vector<float> widths;
  widths.reserve(data.frames.size());
  const Vec3 centre = make_vec3(0.5f, 0.5f, 0.5f);
  for (const Frame& f : data.frames) {
    const Vec3 d = f.pose.origin() - centre;
    widths.push_back(std::sqrt(d.x * d.x + d.y * d.y + d.z * d.z) / f.intrinsics.fx);
  }
  if (widths.empty()) return 0.f;
  std::nth_element(widths.begin(), widths.begin() + widths.size() / 2, widths.end());
  return widths[widths.size() / 2];
}

float auto_settings_footprint(const Dataset& data, bool ndc) {
  if (data.aabb_scale > 1.f || ndc) return 0.f;
  const float footprint = median_pixel_footprint(data);
  return footprint > 0.f ? footprint : 0.f;
}

float ndc_pixel_footprint(const Dataset& data) {
  if (data.aabb_scale > 1.f || data.frames.empty()) return 0.f;
  const Intrinsics& ref = data.frames.front().intrinsics;
  std::vector<float> widths;
  widths.reserve(data.frames.size());
  for (const Frame& f : data.frames) {
    const float x = 2.f * ref.fx / (static_cast<float>(ref.width) * f.intrinsics.fx);
    const float y = 2.f * ref.fy / (static_cast<float>(ref.height) * f.intrinsics.fy);
    widths.push_back(0.5f * std::min(x, y));
  }
  std::nth_element(widths.begin(), widths.begin() + widths.size() / 2, widths.end());
  return widths[widths.size() / 2];
}

}  // namespace nerds
