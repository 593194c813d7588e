#include "renderer/techniques/dvgo/view_count.h"

#include <algorithm>
#include <cmath>

#include "renderer/math/camera_ray.h"
#include "renderer/techniques/dvgo/dvgo_kernels.h"

namespace nerds {

std::vector<float> dvgo_view_counts(const Dataset& data, int n, float box_side, float step_voxels,
                                    int max_rays_per_axis, std::vector<float>* views) {
  const size_t nodes = static_cast<size_t>(n) * n * n;
  std::vector<float> count(nodes, 0.f), seen(nodes);
  const float lo = 0.5f - 0.5f * box_side, hi = 0.5f + 0.5f * box_side;
  const float step = step_voxels * box_side / static_cast<float>(n);
  for (const Frame& f : data.frames) {
    std::fill(seen.begin(), seen.end(), 0.f);
    const int w = f.intrinsics.width, h = f.intrinsics.height;
    const int stride = std::max({1, (w + max_rays_per_axis - 1) / max_rays_per_axis, (h + max_rays_per_axis - 1) / max_rays_per_axis});
    const float ray_weight = static_cast<float>(stride * stride);
    for (int py = stride / 2; py < h; py += stride)
      for (int px = stride / 2; px < w; px += stride) {
        const Ray r = camera_ray(f.pose, f.intrinsics, px + 0.5f, py + 0.5f);
        const float o[3] = {r.origin.x, r.origin.y, r.origin.z}, d[3] = {r.dir.x, r.dir.y, r.dir.z};
        float t0 = 0.f, t1 = 1e30f;  // the ray's span inside the box (slab test)
        for (int a = 0; a < 3; ++a) {
          const float inv = 1.f / (std::fabs(d[a]) > 1e-9f ? d[a] : 1e-9f);
          float ta = (lo - o[a]) * inv, tb = (hi - o[a]) * inv;
          if (ta > tb) std::swap(ta, tb);
          t0 = std::max(t0, ta);
          t1 = std::min(t1, tb);
        }
        for (float t = t0; t <= t1; t += step) {
          const float u = (o[0] + t * d[0] - lo) / box_side, v = (o[1] + t * d[1] - lo) / box_side,
                      s = (o[2] + t * d[2] - lo) / box_side;
          const TrilinearTaps taps = trilinear_taps(u, v, s, n, n, n);
          for (int c = 0; c < 8; ++c) seen[taps.node[c]] += taps.w[c] * ray_weight;
        }
      }
    for (size_t k = 0; k < nodes; ++k) count[k] += seen[k] > 1.f ? 1.f : 0.f;
  }
  if (views) *views = count;
  const float mx = *std::max_element(count.begin(), count.end());
  if (mx > 0.f)
    for (float& c : count) c /= mx;
  return count;
}

}  // namespace nerds
