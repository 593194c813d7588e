#include "renderer/techniques/dvgo/near_camera_mask.h"

namespace nerds {

std::vector<float> dvgo_near_camera_nodes(const Dataset& data, int n, float box_side, float near_clip) {
  std::vector<float> near(static_cast<size_t>(n) * n * n, 0.f);
  const float lo = 0.5f - 0.5f * box_side, d = box_side / static_cast<float>(n - 1);
  const float r2 = near_clip * near_clip;
  for (const Frame& f : data.frames) {
    const Vec3 c = f.pose.origin();
    for (int z = 0; z < n; ++z)
      for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) {
          const float dx = lo + d * x - c.x, dy = lo + d * y - c.y, dz = lo + d * z - c.z;
          if (dx * dx + dy * dy + dz * dz <= r2) near[(static_cast<size_t>(z) * n + y) * n + x] = 1.f;
        }
  }
  return near;
}

}  // namespace nerds
