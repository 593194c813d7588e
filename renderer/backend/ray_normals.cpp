#include "renderer/backend/ray_normals.h"

#include <vector>

#include "renderer/backend/inspected_samples.h"
#include "renderer/math/compositing.h"
#include "renderer/techniques/fields/ref_nerf_normals.h"

namespace nerds {

Vec3 unit_or_zero(Vec3 v) {
  const float len = length(v);
  return len > 1e-8f ? v * (1.f / len) : make_vec3(0.f, 0.f, 0.f);
}

RayNormals render_ray_normals(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                              const Ray& ray, float normal_step) {
  RayNormals out;
  out.has_predicted = network.ref_head() != nullptr;
  // The full forward: with Ref-NeRF's head, s.scratch.ws.ref.normal then holds the predicted normals.
  InspectedSamples s;
  place_and_evaluate(network, grid, settings, &ray, 0, 1, s);
  const int n = s.samples.size();
  if (n == 0) return out;
  std::vector<float> normals(3 * static_cast<size_t>(n));
  DensityNormalScratch fd;
  density_normals(network, s.samples.pos.data(), n, normal_step, fd, normals.data());
  Vec3 sum = make_vec3(0.f, 0.f, 0.f), sum_pred = make_vec3(0.f, 0.f, 0.f);
  float T = 1.f;
  for (int i = 0; i < n; ++i) {
    const float w = composite_step(s.sigma[i], s.samples.dt[i], &T).weight;
    out.opacity += w;
    sum = sum + make_vec3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]) * w;
    if (out.has_predicted) {
      const float* p = s.scratch.ws.ref.normal.data() + 3 * static_cast<size_t>(i);
      sum_pred = sum_pred + make_vec3(p[0], p[1], p[2]) * w;
    }
  }
  out.density = unit_or_zero(sum);
  out.predicted = unit_or_zero(sum_pred);
  return out;
}

}  // namespace nerds
