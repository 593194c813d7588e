#include "renderer/backend/render_batch.h"

namespace nerds {

void evaluate_samples(const NerfNetwork& network, float box_half, const WarpSettings& warp, const SampleBuffer& samples,
                      std::vector<float>& mean, std::vector<float>& var, NetworkWorkspace& ws, float* sigma,
                      float* rgb) {
  const int n = samples.size();
  if (!network.encoding_uses_footprint()) {
    network.forward(samples.pos.data(), samples.dir.data(), n, ws, sigma, rgb);
    return;
  }
  const float* pos = encoding_footprints(network.encoding_footprint_kind(), samples, box_half, warp, &mean, &var);
  network.forward(pos, samples.dir.data(), n, ws, sigma, rgb, var.data());
}

void prepare_rays(const RenderSettings& rs, const Ray* rays, size_t first, int n, RenderScratch& s) {
  s.rays.resize(n);
  s.view_dirs.resize(n);
  s.radii.resize(n);
  const float radius = sampling_cone_radius(rs.warp, rs.pixel_radius);
  for (int r = 0; r < n; ++r) {
    s.rays[r] = sampling_ray(rs.warp, rs.march, rays[first + r].origin, rays[first + r].dir);
    s.view_dirs[r] = rays[first + r].dir;
    s.radii[r] = radius;
  }
}

void write_pixel(const RenderSettings& rs, const SamplingRay& sray, const Ray& ray, const CompositeResult& c, size_t i,
                 RenderBuffers& out) {
  const CompositePixel p = composite_pixel(c, rs.background);
  for (int k = 0; k < 3; ++k) out.rgb[3 * i + k] = p.rgb[k];
  out.opacity[i] = p.opacity;
  out.depth[i] = engine_depth(rs.warp, rs.march, sray, ray.origin, p.depth, p.opacity);
}

}  // namespace nerds
