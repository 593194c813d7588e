// NerfNetwork's inference entry points (rendering): infer_density and infer_color give the
// values forward() gives, on any subset of the samples, and a workspace kept from a network
// of another shape is laid out anew (the renderer keeps its workspaces between renders).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/rng.h"
#include "renderer/techniques/fields/nerf_network.h"

using nerds::InferenceWorkspace;
using nerds::NerfNetwork;
using nerds::NetworkConfig;
using nerds::NetworkWorkspace;

namespace {

NetworkConfig small_config(int levels, int hidden, int color_layers) {
  NetworkConfig c;
  c.grid.levels = levels;
  c.grid.log2_table_size = 12;
  c.grid.max_resolution = 64;
  c.density_hidden = hidden;
  c.color_hidden = hidden;
  c.color_layers = color_layers;
  return c;
}

struct Samples {
  std::vector<float> pos, dir;
};

Samples random_samples(int n, uint64_t seed) {
  nerds::Pcg32 rng(seed, 3);
  Samples s;
  for (int i = 0; i < n; ++i) {
    for (int a = 0; a < 3; ++a) s.pos.push_back(rng.next_float());
    const float x = rng.next_float() - 0.5f, y = rng.next_float() - 0.5f, z = rng.next_float() - 0.5f;
    const float len = std::sqrt(x * x + y * y + z * z) + 1e-6f;
    s.dir.insert(s.dir.end(), {x / len, y / len, z / len});
  }
  return s;
}

// infer_density on all n samples and infer_color on every third one against forward().
void check_inference_matches_forward(const NerfNetwork& net, InferenceWorkspace& iws, int n, uint64_t seed) {
  const Samples s = random_samples(n, seed);
  NetworkWorkspace ws;
  std::vector<float> sigma(n), rgb(3 * n);
  net.forward(s.pos.data(), s.dir.data(), n, ws, sigma.data(), rgb.data());

  std::vector<float> isigma(n);
  net.infer_density(s.pos.data(), nullptr, n, iws, isigma.data());
  std::vector<int> idx;
  std::vector<float> dirs;
  for (int i = 0; i < n; i += 3) {
    idx.push_back(i);
    dirs.insert(dirs.end(), s.dir.begin() + 3 * i, s.dir.begin() + 3 * i + 3);
  }
  const int m = static_cast<int>(idx.size());
  std::vector<float> irgb(3 * m);
  net.infer_color(idx.data(), m, dirs.data(), iws, irgb.data());
  for (int i = 0; i < n; ++i) CHECK(isigma[i] == doctest::Approx(sigma[i]).epsilon(1e-5));
  for (int j = 0; j < m; ++j)
    for (int k = 0; k < 3; ++k) CHECK(irgb[3 * j + k] == doctest::Approx(rgb[3 * idx[j] + k]).epsilon(1e-5));
}

}  // namespace

TEST_CASE("NerfNetwork inference: infer_density and infer_color on a subset give forward()'s values") {
  NerfNetwork net(small_config(4, 16, 2));
  net.initialize(11);
  InferenceWorkspace iws;
  check_inference_matches_forward(net, iws, 50, 1);
  check_inference_matches_forward(net, iws, 7, 2);  // fewer samples: the workspace is reused
}

TEST_CASE("NerfNetwork inference: a workspace from a smaller network is laid out anew for a wider one") {
  NerfNetwork small(small_config(2, 16, 1)), wide(small_config(8, 64, 3));
  small.initialize(5);
  wide.initialize(6);
  InferenceWorkspace iws;
  check_inference_matches_forward(small, iws, 64, 3);
  check_inference_matches_forward(wide, iws, 64, 4);  // same sample count, wider buffers needed
  CHECK(iws.layout == wide.workspace_layout());
  CHECK(iws.enc.size() >= static_cast<size_t>(wide.encoding_dim()) * 64);
  CHECK(iws.color_hidden_ptrs.size() == 3);

  NetworkWorkspace ws;
  std::vector<float> sigma(64);
  const Samples s = random_samples(64, 9);
  small.density(s.pos.data(), 64, ws, sigma.data());
  wide.density(s.pos.data(), 64, ws, sigma.data());
  CHECK(ws.layout == wide.workspace_layout());
  CHECK(ws.enc.size() >= static_cast<size_t>(wide.encoding_dim()) * 64);
}
