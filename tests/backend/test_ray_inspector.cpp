// The ray inspector (inspect_ray) against the renderer (render_rays): its per-sample alpha,
// transmittance and weight are composite_step's, so compositing its samples as the renderer
// does (composite_forward with early termination, then composite_pixel) gives the rendered
// pixel's colour, depth and opacity, for the marcher and for NeRF's hierarchical sampler.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/techniques/samplers/occupancy_grid.h"
#include "renderer/backend/render_rays.h"
#include "renderer/math/compositing.h"
#include "renderer/math/rng.h"

namespace nerds {
namespace {

// A small hash-grid network with random (not trained) parameters, its density output scaled
// up so that rays through the box become opaque and most terminate early.
NerfNetwork random_network() {
  NetworkConfig c;
  c.grid.levels = 8;
  c.grid.log2_table_size = 14;
  c.grid.max_resolution = 128;
  NerfNetwork net(c);
  net.initialize(3);
  Pcg32 rng(12, 13);
  for (float& p : nerds::grid_of(net.encoding()).params()) p = 4.f * rng.next_float() - 2.f;
  net.density_mlp().weights().back() *= 8.f;  // log-densities of a few units
  return net;
}

// Rays from a ring of origins outside the box through points near its center.
std::vector<Ray> test_rays(int n) {
  std::vector<Ray> rays;
  Pcg32 rng(7, 8);
  for (int i = 0; i < n; ++i) {
    const float a = 6.2831853f * static_cast<float>(i) / static_cast<float>(n);
    const Vec3 o = make_vec3(0.5f + 1.6f * std::cos(a), 0.5f + 1.6f * std::sin(a), 0.5f + 0.4f * (rng.next_float() - 0.5f));
    const Vec3 target =
        make_vec3(0.5f + 0.3f * (rng.next_float() - 0.5f), 0.5f + 0.3f * (rng.next_float() - 0.5f), 0.5f);
    rays.push_back({o, normalize(target - o)});
  }
  // And one that misses the box.
  rays.push_back({make_vec3(3.f, 3.f, 3.f), normalize(make_vec3(1.f, 0.f, 0.f))});
  return rays;
}

void check_inspector_matches_render(const NerfNetwork& net, const RenderSettings& rs) {
  OccupancyConfig oc;
  oc.resolution = 32;
  const OccupancyGrid grid(oc);  // fresh: every cell occupied
  const std::vector<Ray> rays = test_rays(12);
  RenderBuffers img;
  render_rays(net, grid.view(), rs, rays.data(), rays.size(), img);
  int terminated = 0, opaque = 0;
  for (size_t r = 0; r < rays.size(); ++r) {
    CAPTURE(r);
    const std::vector<RaySample> samples = inspect_ray(net, grid.view(), rs, rays[r]);
    const int n = static_cast<int>(samples.size());
    // The inspector's terms are composite_step's, front to back from T = 1. Equal to float
    // rounding, not bit for bit: this file is compiled at -Og (CMakeLists.txt,
    // nerds_client_code_options) and the engine at -O3, which contracts a*b+c into FMAs.
    float T = 1.f;
    std::vector<float> sigma, rgb, dt, t;
    for (const RaySample& s : samples) {
      const SampleWeight w = composite_step(s.sigma, s.dt, &T);
      CHECK(s.alpha == doctest::Approx(w.alpha).epsilon(1e-5));
      CHECK(s.transmittance == doctest::Approx(w.transmittance).epsilon(1e-5));
      CHECK(s.weight == doctest::Approx(w.weight).epsilon(1e-5));
      sigma.push_back(s.sigma);
      rgb.insert(rgb.end(), s.rgb, s.rgb + 3);
      dt.push_back(s.dt);
      t.push_back(s.t);
    }
    // Composited as the renderer does.
    CompositeResult c;
    composite_forward(sigma.data(), rgb.data(), dt.data(), t.data(), n, rs.min_transmittance, &c);
    const CompositePixel p = composite_pixel(c, rs.background);
    terminated += c.used < n;
    opaque += p.opacity > 0.5f;
    for (int k = 0; k < 3; ++k) CHECK(p.rgb[k] == doctest::Approx(img.rgb[3 * r + k]).epsilon(1e-5));
    CHECK(p.opacity == doctest::Approx(img.opacity[r]).epsilon(1e-5));
    CHECK(p.depth == doctest::Approx(img.depth[r]).epsilon(1e-5));
    // The used samples' weights sum to the opacity (weights telescope to 1 - T).
    double weight = 0.0;
    for (int i = 0; i < c.used; ++i) weight += samples[i].weight;
    CHECK(weight == doctest::Approx(p.opacity).epsilon(1e-4));
  }
  MESSAGE(terminated << " of " << rays.size() << " rays terminated early, " << opaque << " opaque");
  // The case has rays that terminate early and rays that do not.
  CHECK(terminated > 0);
  CHECK(terminated < opaque);
  CHECK(img.opacity.back() == 0.f);  // the ray that misses shows the background
  for (int k = 0; k < 3; ++k) CHECK(img.rgb[3 * (rays.size() - 1) + k] == rs.background[k]);
}

}  // namespace

TEST_CASE("ray inspector: its samples composite to the rendered pixel (occupancy-grid marching)") {
  const NerfNetwork net = random_network();
  RenderSettings rs;
  rs.background[0] = 0.2f;
  rs.background[1] = 0.6f;
  rs.background[2] = 1.f;
  rs.march.dt_min = rs.march.dt_max = 1.7320508f / 256.f;
  check_inspector_matches_render(net, rs);
}

TEST_CASE("ray inspector: its samples composite to the rendered pixel (NeRF's hierarchical sampling)") {
  const NerfNetwork net = random_network();
  RenderSettings rs;
  rs.sampler.kind = "hierarchical";
  rs.sampler.coarse_samples = 32;
  rs.sampler.fine_samples = 64;
  rs.min_transmittance = 0.01f;
  check_inspector_matches_render(net, rs);
}

}  // namespace nerds
