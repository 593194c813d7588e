// Training samples placed and evaluated in waves (renderer/techniques/samplers/march_training_waves.h)
// are exactly those of placing every sample first, evaluating the density of all of them and
// keeping each ray's samples before its early termination (what the CPU backend does for any
// other sampler): same samples, densities and density-stage activations, ray after ray.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/math/compositing.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/samplers/hierarchical_sampler.h"
#include "renderer/techniques/samplers/occupancy_grid.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

using namespace nerds;

namespace {

// Columns [0, m) of a (rows x *) buffer.
std::vector<float> columns(const float* data, int rows, int m) { return std::vector<float>(data, data + rows * m); }

void check_waves_match_full_march(float min_transmittance, int max_samples) {
  CAPTURE(min_transmittance);
  CAPTURE(max_samples);
  Dataset data;
  data.aabb_scale = 1.f;
  ParamSet p = default_method_params();
  p.set("sampler.kind", std::string("march"));
  p.set("encoding.log2_table_size", int64_t{12});
  TrainConfig config = make_train_config(p, data);
  config.occupancy.resolution = 16;
  config.march.max_samples = max_samples;
  const std::unique_ptr<RaySampler> sampler = make_ray_sampler(config.sampler);
  NerfNetwork network(config.network);
  network.initialize(9);
  const OccupancyGrid grid(config.occupancy);  // every cell occupied
  const MarchSettings& ms = config.march;

  std::vector<SamplingRay> rays;
  std::vector<Vec3> dirs;
  std::vector<float> jitter;
  Pcg32 rng(17, 5);
  for (int r = 0; r < 40; ++r) {
    const Vec3 o = make_vec3(4.f * rng.next_float() - 2.f, 4.f * rng.next_float() - 2.f, -3.f);
    const Vec3 d = normalize(make_vec3(0.5f * rng.next_float(), 0.5f * rng.next_float(), 0.5f) - o);
    rays.push_back(sampling_ray(config.warp, ms, o, d));
    dirs.push_back(d);
    jitter.push_back(rng.next_float());
  }
  rays.push_back(sampling_ray(config.warp, ms, make_vec3(30.f, 30.f, 30.f), make_vec3(1.f, 0.f, 0.f)));  // misses
  dirs.push_back(make_vec3(1.f, 0.f, 0.f));
  jitter.push_back(0.5f);
  const int n = static_cast<int>(rays.size());
  const std::vector<float> radii(n, 0.f);
  const RayBatch batch{rays.data(), dirs.data(), radii.data(), jitter.data(), n};
  const SamplerJitter sj{1, 2, 0};

  // Every sample placed and evaluated, then the used ones kept.
  NetworkWorkspace full_ws;
  std::unique_ptr<SamplerScratch> full_scratch;
  SampleBuffer all;
  std::vector<int> all_begin(n), all_count(n);
  REQUIRE(sampler->place_training_samples(network, grid.view(), ms, batch, sj, full_ws, full_scratch, all,
                                          all_begin.data(), all_count.data()) == 0);
  std::vector<float> all_sigma(all.size()), mean, var;
  sample_densities(network, ms.box_half, WarpSettings{}, all, full_ws, mean, var, all_sigma.data());
  std::vector<int> used_idx, used_count(n);
  int terminated = 0, longest = 0;
  for (int r = 0; r < n; ++r) {
    const int b = all_begin[r];
    used_count[r] = composite_used_count(all_sigma.data() + b, all.dt.data() + b, all_count[r], min_transmittance);
    terminated += used_count[r] < all_count[r];
    longest = std::max(longest, used_count[r]);
    for (int i = 0; i < used_count[r]; ++i) used_idx.push_back(b + i);
  }
  const int m = static_cast<int>(used_idx.size());
  network.compact_density_stage(full_ws, used_idx.data(), m);

  // In waves.
  NetworkWorkspace ws;
  std::unique_ptr<SamplerScratch> scratch;
  SampleBuffer out;
  std::vector<int> begin(n, -1), count(n, -1);
  std::vector<float> sigma;
  const int evaluated = sampler->place_evaluated_training_samples(network, grid.view(), ms, batch, sj,
                                                                  min_transmittance, ws, scratch, out, begin.data(),
                                                                  count.data(), sigma);
  CHECK(evaluated >= m);
  CHECK(evaluated <= all.size());
  if (terminated > 0) CHECK(evaluated < all.size());
  REQUIRE(out.size() == m);
  int next = 0;
  for (int r = 0; r < n; ++r) {
    CAPTURE(r);
    CHECK(begin[r] == next);
    CHECK(count[r] == used_count[r]);
    next += count[r];
  }
  for (int j = 0; j < m; ++j) {
    CAPTURE(j);
    const int i = used_idx[j];
    CHECK(out.t[j] == all.t[i]);
    CHECK(out.dt[j] == all.dt[i]);
    CHECK(sigma[j] == all_sigma[i]);
    for (int a = 0; a < 3; ++a) {
      CHECK(out.pos[3 * j + a] == all.pos[3 * i + a]);
      CHECK(out.dir[3 * j + a] == all.dir[3 * i + a]);
    }
  }
  const int E = network.encoding_dim(), C = network.color_input_dim(), H = config.network.density_hidden;
  CHECK(columns(ws.enc.data(), E, m) == columns(full_ws.enc.data(), E, m));
  CHECK(columns(ws.color_in.data(), C, m) == columns(full_ws.color_in.data(), C, m));
  for (size_t k = 0; k < ws.density_hidden_ptrs.size(); ++k)
    CHECK(columns(ws.density_hidden_ptrs[k], H, m) == columns(full_ws.density_hidden_ptrs[k], H, m));
  // Each case reaches past the first waves, and stops rays early or at the sample cap.
  CHECK(longest > 32);
  CHECK((terminated > 0 || longest == max_samples));
}

}  // namespace

TEST_CASE("march training waves: the same used samples, densities and activations as marching each ray whole") {
  check_waves_match_full_march(0.9f, 1024);
  check_waves_match_full_march(0.5f, 1024);
  check_waves_match_full_march(0.9f, 40);  // rays stopped by the sample cap inside a wave
}

TEST_CASE("march training waves: a sampler that does not march evaluates nothing while placing") {
  Dataset data;
  data.aabb_scale = 1.f;
  ParamSet p = default_method_params();
  p.set("sampler.kind", std::string("hierarchical"));
  p.set("encoding.log2_table_size", int64_t{12});
  const TrainConfig config = make_train_config(p, data);
  const std::unique_ptr<RaySampler> sampler = make_ray_sampler(config.sampler);
  NerfNetwork network(config.network);
  NetworkWorkspace ws;
  std::unique_ptr<SamplerScratch> scratch;
  SampleBuffer out;
  std::vector<float> sigma;
  const RayBatch batch{};
  CHECK(sampler->place_evaluated_training_samples(network, OccupancyView{}, config.march, batch, SamplerJitter{}, 1e-4f,
                                                  ws, scratch, out, nullptr, nullptr, sigma) == -1);
}
