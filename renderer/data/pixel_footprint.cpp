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

}  // namespace nerds
