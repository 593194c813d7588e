#include "renderer/techniques/samplers/placed_samples_render.h"

#include <algorithm>
#include <vector>

#include "renderer/techniques/samplers/hierarchical_sampler.h"

namespace nerds {

void render_placed_samples(const NerfNetwork& network, const RenderSettings& rs, const Ray* rays, size_t first, int n,
                           int per_ray, RenderBuffers& out, RenderScratch& s, const PlaceRenderSamples& place) {
  const MarchSettings& ms = rs.march;
  const int batch = std::max(1, 8192 / std::max(per_ray, 1));  // about 8k samples per network call
  for (int b0 = 0; b0 < n; b0 += batch) {
    const int nb = std::min(batch, n - b0);
    prepare_rays(rs, rays, first + b0, nb, s);
    s.begin.resize(nb);
    s.count.resize(nb);
    s.samples.clear();
    const int extra = place(nb, s);
    const int total = s.samples.size();
    s.sigma.resize(total);
    sample_densities(network, ms.box_half, rs.warp, s.samples, s.ws, s.mean, s.var, s.sigma.data());
    s.used_idx.clear();
    for (int r = 0; r < nb; ++r) {
      const int used = composite_used_count(s.sigma.data() + s.begin[r], s.samples.dt.data() + s.begin[r],
                                            s.count[r], rs.min_transmittance);
      for (int i = 0; i < used; ++i) s.used_idx.push_back(s.begin[r] + i);
      // Evaluated: the placed samples, and the pass that placed them before.
      out.samples[first + b0 + r] = s.count[r] + (s.count[r] > 0 ? extra : 0);
      s.count[r] = used;
    }
    const int m = static_cast<int>(s.used_idx.size());
    network.compact_density_stage(s.ws, s.used_idx.data(), m);
    std::vector<float>& dir = s.samples.dir;
    for (int j = 0; j < m; ++j) {  // in place: used_idx[j] >= j
      const int i = s.used_idx[j];
      s.sigma[j] = s.sigma[i];
      s.samples.dt[j] = s.samples.dt[i];
      s.samples.t[j] = s.samples.t[i];
      for (int a = 0; a < 3; ++a) {
        dir[3 * j + a] = dir[3 * static_cast<size_t>(i) + a];
        s.samples.pos[3 * j + a] = s.samples.pos[3 * static_cast<size_t>(i) + a];
      }
    }
    s.rgb.resize(3 * static_cast<size_t>(m));
    if (m > 0 && network.reflects_density_normals()) network.reflection_normals(s.samples.pos.data(), m, s.ws.ref);
    if (m > 0) network.color(dir.data(), m, s.ws, s.rgb.data());
    int b = 0;
    for (int r = 0; r < nb; ++r) {
      CompositeResult c;
      composite_forward(s.sigma.data() + b, s.rgb.data() + 3 * b, s.samples.dt.data() + b, s.samples.t.data() + b,
                        s.count[r], rs.min_transmittance, &c);
      b += s.count[r];
      write_pixel(rs, s.rays[r], rays[first + b0 + r], c, first + b0 + r, out);
    }
  }
}

}  // namespace nerds
