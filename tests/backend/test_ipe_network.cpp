// NerfNetwork with Mip-NeRF's integrated positional encoding (Barron et al. 2021, Sec. 3.1):
// zero variance gives exactly the frequency encoding's network outputs; a wide Gaussian damps
// the high frequencies; and the samples' conical frustums (frustum_gaussians, Eq. 7-8) are
// mapped into network coordinates with the right scale.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/math/ray_march.h"

using nerds::NerfNetwork;
using nerds::NetworkConfig;
using nerds::NetworkWorkspace;

namespace {

NetworkConfig small_config(const std::string& kind) {
  NetworkConfig c;
  c.encoding = kind;
  c.frequency.dims = 3;
  c.frequency.frequencies = 6;
  c.frequency.include_input = false;  // Mip-NeRF's IPE has no identity term
  c.density_hidden = 16;
  c.color_hidden = 16;
  c.geo_features = 8;
  c.sh_degree = 2;
  return c;
}

}  // namespace

TEST_CASE("IPE network: zero variance is exactly the frequency encoding, and a wide Gaussian damps the fine frequencies") {
  NerfNetwork ipe(small_config("ipe")), freq(small_config("frequency"));
  ipe.initialize(7);
  freq.initialize(7);
  REQUIRE(ipe.encoding_dim() == freq.encoding_dim());
  REQUIRE(ipe.encoding_uses_footprint());
  REQUIRE_FALSE(freq.encoding_uses_footprint());
  const int n = 5;
  std::vector<float> pos(3 * n), dir(3 * n, 0.f), zero(3 * n, 0.f), wide(3 * n, 1.f);
  for (int i = 0; i < 3 * n; ++i) pos[i] = 0.1f + 0.17f * static_cast<float>(i % 5);
  for (int i = 0; i < n; ++i) dir[3 * i + 2] = 1.f;
  std::vector<float> s_ipe(n), s_freq(n), s_null(n), rgb_ipe(3 * n), rgb_freq(3 * n), rgb_null(3 * n);
  NetworkWorkspace ws_ipe, ws_freq, ws_null;
  ipe.forward(pos.data(), dir.data(), n, ws_ipe, s_ipe.data(), rgb_ipe.data(), zero.data());
  freq.forward(pos.data(), dir.data(), n, ws_freq, s_freq.data(), rgb_freq.data());
  ipe.forward(pos.data(), dir.data(), n, ws_null, s_null.data(), rgb_null.data());  // null: points
  const int E = ipe.encoding_dim();
  for (int j = 0; j < E * n; ++j) {
    CHECK(ws_ipe.enc[j] == ws_freq.enc[j]);
    CHECK(ws_null.enc[j] == ws_freq.enc[j]);
  }
  for (int i = 0; i < n; ++i) {
    CHECK(s_ipe[i] == s_freq[i]);
    CHECK(s_null[i] == s_freq[i]);
  }
  for (int i = 0; i < 3 * n; ++i) CHECK(rgb_ipe[i] == rgb_freq[i]);

  // Variance 1 in [0,1] coordinates is 4 in the encoded [-1,1] frame: frequency k (f_k = pi
  // 2^k) is damped by exp(-f_k^2 * 4 / 2), about 2.7e-9 already at k = 0.
  NetworkWorkspace ws_wide;
  ipe.density(pos.data(), n, ws_wide, s_ipe.data(), wide.data());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < E; ++j) {
      const float plain = ws_freq.enc[static_cast<size_t>(i) * E + j];
      const float damped = ws_wide.enc[static_cast<size_t>(i) * E + j];
      CHECK(std::fabs(damped) <= 1e-6f * std::fabs(plain) + 1e-8f);
    }
  // A moderate variance leaves the coarsest frequency and removes the finest (the layout:
  // 2*3 values per frequency, sin then cos).
  std::vector<float> moderate(3 * n, 1e-3f);
  NetworkWorkspace ws_mod;
  ipe.density(pos.data(), n, ws_mod, s_ipe.data(), moderate.data());
  const int L = 6;
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < 6; ++d) {
      const size_t coarse = static_cast<size_t>(i) * E + d, fine = static_cast<size_t>(i) * E + 6 * (L - 1) + d;
      const float f0 = 3.14159265f, fl = std::ldexp(f0, L - 1);
      CHECK(ws_mod.enc[coarse] ==
            doctest::Approx(ws_freq.enc[coarse] * std::exp(-0.5f * f0 * f0 * 4e-3f)).epsilon(1e-4));
      CHECK(ws_mod.enc[fine] == doctest::Approx(ws_freq.enc[fine] * std::exp(-0.5f * fl * fl * 4e-3f)).epsilon(1e-3));
      CHECK(std::fabs(ws_mod.enc[fine]) < 0.15f);
    }
}

TEST_CASE("IPE samples: frustum Gaussians in network coordinates (Mip-NeRF Eq. 7-8)") {
  const float box_half = 2.f, t = 3.f, dt = 0.05f, radius = nerds::pixel_cone_radius(400.f);
  CHECK(radius == doctest::Approx(2.0 / (std::sqrt(12.0) * 400.0)));
  nerds::SampleBuffer s;
  const nerds::Vec3 d = nerds::make_vec3(0.f, 0.f, 1.f), p = nerds::make_vec3(0.3f, 0.2f, t);
  s.push(t, dt, nerds::network_position(p, box_half), d, radius);
  s.push(t, dt, nerds::network_position(p, box_half), d, 0.f);
  std::vector<float> mean, var;
  nerds::frustum_gaussians(s, box_half, nerds::WarpSettings{}, &mean, &var);
  const nerds::FrustumGaussian g = nerds::conical_frustum(t - 0.5f * dt, t + 0.5f * dt, radius);
  const float scale = 0.5f / box_half;
  // Along the ray (z): the Eq. 7 variance along t, and the mean moved to the centroid.
  CHECK(var[2] == doctest::Approx(g.t_var * scale * scale));
  CHECK(mean[2] == doctest::Approx(nerds::network_position(p, box_half).z + (g.t_mean - t) * scale));
  CHECK(mean[0] == doctest::Approx(nerds::network_position(p, box_half).x));
  // Across the ray: the cone's radial variance (about (radius t)^2 / 4 for a thin frustum).
  CHECK(var[0] == doctest::Approx(g.r_var * scale * scale));
  CHECK(var[1] == doctest::Approx(radius * radius * t * t / 4.f * scale * scale).epsilon(1e-3));
  // No footprint: no radial variance (the along-ray variance of the step remains).
  CHECK(var[3] == 0.f);
  CHECK(var[4] == 0.f);
  CHECK(var[5] == doctest::Approx(dt * dt / 12.f * scale * scale).epsilon(1e-2));
}
