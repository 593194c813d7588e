#include "renderer/backend/inspected_samples.h"

#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

void place_and_evaluate(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                        const Ray* rays, size_t first, int n, InspectedSamples& s) {
  const std::unique_ptr<RaySampler> sampler = make_ray_sampler(settings.sampler);
  RenderScratch& r = s.scratch;
  std::vector<SamplePass> pass;
  s.samples.clear();
  s.begin.resize(n);
  s.count.resize(n);
  for (int i = 0; i < n; ++i) {
    prepare_rays(settings, rays, first + i, 1, r);
    r.samples.clear();
    if (r.rays[0].hit) sampler->place_inspected_samples(network, grid, settings, r, pass);
    s.begin[i] = s.samples.size();
    s.count[i] = r.samples.size();
    s.samples.resize(s.begin[i] + s.count[i]);
    s.samples.copy_from(s.begin[i], r.samples, 0, s.count[i]);
  }
  const int m = s.samples.size();
  s.sigma.resize(m);
  s.rgb.resize(3 * static_cast<size_t>(m));
  if (m > 0)
    evaluate_samples(network, settings.march.box_half, settings.warp, s.samples, r.mean, r.var, r.ws, s.sigma.data(),
                     s.rgb.data());
}

}  // namespace nerds
