// The CUDA backend and the two network options: Instant-NGP's multiresolution dense grid
// (encoding.kind=dense) runs on the same kernels as the hash grid (its levels are a
// HashGridView whose every level is 1:1), so it must match the CPU network; NeRF's skip
// connection and 256-wide layers do not fit the fused MLP, so the CUDA backend says it does
// not support them (naming the parameter) and --device auto trains on the CPU. The cases
// that run kernels print "gpu test skipped: ..." and return where there is no usable GPU.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda/math_kernels.h"
#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/backend/training_backend.h"
#include "renderer/model/packed_model.h"
#include "tests/gpu/gpu_test_support.h"

namespace nerds {
namespace {

using nerds_test::gpu_or_skip;
using nerds_test::relative_l2;

}  // namespace

TEST_CASE("gpu network: the dense grid encoding matches the CPU network (values and table gradients)") {
  if (!gpu_or_skip()) return;
  TrainConfig config;
  config.network.encoding = kDenseEncoding;
  config.network.grid.levels = 8;
  config.network.grid.max_resolution = 96;
  config.network.grid.all_dense = true;
  NerfNetwork net(config.network);
  net.initialize(5);
  Pcg32 rng(41, 42);
  for (float& p : nerds::grid_of(net.encoding()).params()) p = rng.next_float() * 2.f - 1.f;
  const int n = 3000;
  std::vector<float> pos(3 * static_cast<size_t>(n)), dir(3 * static_cast<size_t>(n)), d_sigma(n),
      d_rgb(3 * static_cast<size_t>(n));
  for (float& v : pos) v = rng.next_float();
  for (int i = 0; i < n; ++i) {
    const Vec3 d = normalize(make_vec3(rng.next_float() - 0.5f, rng.next_float() - 0.5f, rng.next_float() - 0.5f));
    dir[3 * i] = d.x, dir[3 * i + 1] = d.y, dir[3 * i + 2] = d.z;
    d_sigma[i] = (rng.next_float() - 0.5f) * 2e-3f;
    for (int k = 0; k < 3; ++k) d_rgb[3 * i + k] = (rng.next_float() - 0.5f) * 2e-2f;
  }
  NetworkWorkspace ws;
  std::vector<float> sigma(n), rgb(3 * static_cast<size_t>(n));
  net.forward(pos.data(), dir.data(), n, ws, sigma.data(), rgb.data());
  NetworkGradients grads = net.make_gradients();
  grads.set_zero();
  net.backward(ws, n, d_sigma.data(), d_rgb.data(), grads);
  std::vector<float> d_grid(nerds::grid_of(net.encoding()).param_count(), 0.f);
  for (int l = 0; l < config.network.grid.levels; ++l)
    nerds::grid_of(net.encoding()).backward_level(l, pos.data(), ws.d_enc.data(), n, net.encoding_dim(), d_grid.data());

  OccupancyGrid occupancy(config.occupancy);
  const std::vector<ParamTensor> tensors = net.param_tensors();
  const PackedModel model = pack_model(tensors, zero_moments(tensors), occupancy.values());
  const cuda::NetworkPass gpu = cuda::network_pass(config.network, model, pos, dir, d_sigma, d_rgb);
  std::vector<float> cpu_dd;  // the density MLP's layers one after the other, as network_pass gives them
  for (const Eigen::MatrixXf& g : grads.density) cpu_dd.insert(cpu_dd.end(), g.data(), g.data() + g.size());
  std::vector<float> log_gpu(n), log_cpu(n);
  for (int i = 0; i < n; ++i) log_gpu[i] = std::log(gpu.sigma[i]), log_cpu[i] = std::log(sigma[i]);
  const double e_sigma = relative_l2(log_gpu, log_cpu), e_rgb = relative_l2(gpu.rgb, rgb);
  const double e_grid = relative_l2(gpu.d_grid, d_grid), e_dd = relative_l2(gpu.d_density, cpu_dd);
  MESSAGE("dense grid: relative L2 error log sigma " << e_sigma << ", rgb " << e_rgb << ", d_grid " << e_grid
                                                     << ", d_density_mlp " << e_dd);
  // The tolerances of the hash grid's parity test (half precision inside the MLPs).
  CHECK(e_sigma < 1e-2);
  CHECK(e_rgb < 5e-3);
  CHECK(e_grid < 5e-2);
  CHECK(e_dd < 5e-2);
}

TEST_CASE("gpu backend: NeRF's skip connection and 256-wide layers are not supported, naming the parameter") {
  // A question about the configuration alone: it needs no device.
  TrainConfig config;
  config.network.grid.levels = 8;
  config.network.grid.log2_table_size = 14;
  CHECK(cuda_backend_supports(config) == "");
  config.network.density_layers = 3;
  config.network.density_skip_layer = 2;
  CHECK(cuda_backend_supports(config).find("field.skip_layer") != std::string::npos);
  config.network.density_skip_layer = 0;
  config.network.density_hidden = 256;
  CHECK(cuda_backend_supports(config).find("field.density_hidden") != std::string::npos);
  // make_cuda_backend refuses it with the same reason, before looking for a device.
  const auto data = nerds_test::synthetic_dataset(4, 16, 3);
  CHECK_THROWS_WITH_AS(make_cuda_backend(config, *data), doctest::Contains("field.density_hidden"),
                       std::invalid_argument);
}

}  // namespace nerds
