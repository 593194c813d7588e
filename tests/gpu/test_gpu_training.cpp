// The CUDA trainer against the CPU backend: the fused tensor-core MLP and the whole network
// on random inputs (values and gradients), one full training step from the same model, a
// rendered image of the same model, and quality after training on lego at 100 px. Half
// precision inside the MLPs sets the tolerances: each is stated where it is checked. Every
// case prints "gpu test skipped: ..." and returns where there is no usable GPU.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "cuda/math_kernels.h"
#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/backend/render_rays.h"
#include "renderer/engine.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/model/packed_model.h"
#include "renderer/train/metrics.h"
#include "renderer/train/trainer.h"
#include "tests/gpu/gpu_test_support.h"
#include "tests/test_support/engine_eval.h"

namespace nerds {
namespace {

using nerds_test::gpu_or_skip;
using nerds_test::joined;
using nerds_test::packed;
using nerds_test::Part;
using nerds_test::relative_l2;

using nerds_test::uniform;

// Matrices one after the other, each column-major (Eigen's order, the tensors' layout).
std::vector<float> joined_matrices(const std::vector<Eigen::MatrixXf>& ms) {
  std::vector<float> out;
  for (const Eigen::MatrixXf& m : ms) out.insert(out.end(), m.data(), m.data() + m.size());
  return out;
}

cuda::MlpLayers layers_of(const Mlp& mlp) {
  cuda::MlpLayers p;
  for (const Eigen::MatrixXf& w : mlp.weights()) {
    p.rows.push_back(static_cast<int>(w.rows()));
    p.cols.push_back(static_cast<int>(w.cols()));
  }
  p.weights = joined_matrices(mlp.weights());
  return p;
}

// A fresh model of `net` and `occupancy`: its tensors with zero Adam moments.
PackedModel fresh_model(NerfNetwork& net, const OccupancyGrid& occupancy) {
  const std::vector<ParamTensor> tensors = net.param_tensors();
  return pack_model(tensors, zero_moments(tensors), occupancy.values());
}

TrainConfig small_config() {
  TrainConfig c;
  c.network.grid.levels = 8;
  c.network.grid.log2_table_size = 15;
  c.network.grid.max_resolution = 256;
  c.batch_samples = 1 << 14;
  return c;
}

}  // namespace

TEST_CASE("gpu fused MLP: forward, input and weight gradients match the CPU MLP (half precision)") {
  if (!gpu_or_skip()) return;
  Pcg32 rng(21, 22);
  // Sample counts: under one 128-row block, one weight-gradient block (1024 rows) with padding,
  // and three of them with a partial last one (their sums meet in atomics).
  struct Case {
    MlpConfig shape;
    int n;
  };
  for (const Case& test : {Case{{32, 64, 1, 16}, 100}, Case{{32, 64, 1, 16}, 1000}, Case{{32, 64, 2, 3}, 3000},
                           Case{{20, 64, 3, 7}, 1000}}) {
    const MlpConfig& shape = test.shape;
    const int n = test.n;
    Mlp mlp(shape);
    mlp.initialize(5);
    const std::vector<float> x = uniform(static_cast<size_t>(n) * shape.inputs, rng, -1.f, 1.f);
    const std::vector<float> d_out = uniform(static_cast<size_t>(n) * shape.outputs, rng, -0.1f, 0.1f);
    const cuda::MlpPass gpu = cuda::fused_mlp_pass(layers_of(mlp), x, d_out, n);

    // CPU: column-major batches (one column per sample) are the row-major arrays above.
    std::vector<std::vector<float>> hidden(shape.hidden_layers, std::vector<float>(static_cast<size_t>(shape.hidden) * n));
    std::vector<float*> hidden_ptrs;
    for (auto& h : hidden) hidden_ptrs.push_back(h.data());
    std::vector<float> out(static_cast<size_t>(shape.outputs) * n), d_in(static_cast<size_t>(shape.inputs) * n);
    mlp.forward(x.data(), shape.inputs, n, hidden_ptrs.data(), out.data(), shape.outputs);
    std::vector<Eigen::MatrixXf> d_w = mlp.zero_like();
    std::vector<float> s0(static_cast<size_t>(shape.hidden) * n), s1(s0.size());
    std::vector<const float*> const_hidden(hidden_ptrs.begin(), hidden_ptrs.end());
    mlp.backward(x.data(), shape.inputs, n, const_hidden.data(), d_out.data(), d_in.data(), shape.inputs, shape.inputs, d_w,
                 s0.data(), s1.data());
    const std::vector<float> cpu_dw = joined_matrices(d_w);
    // Inputs and activations rounded to half (11-bit mantissa) at every layer: about 1e-3
    // relative per layer; the weight gradients sum 1000 such products.
    const double e_out = relative_l2(gpu.out, out), e_in = relative_l2(gpu.d_in, d_in), e_w = relative_l2(gpu.d_weights, cpu_dw);
    MESSAGE("MLP " << shape.inputs << "-" << shape.hidden << "x" << shape.hidden_layers << "-" << shape.outputs << ", "
                   << n << " samples: relative L2 error out " << e_out << ", d_in " << e_in << ", d_W " << e_w);
    CHECK(e_out < 1e-2);
    CHECK(e_in < 2e-2);
    CHECK(e_w < 2e-2);
  }
}

TEST_CASE("gpu network: density, color and every gradient match the CPU network") {
  if (!gpu_or_skip()) return;
  const TrainConfig config = small_config();
  NerfNetwork net(config.network);
  net.initialize(3);
  Pcg32 rng(31, 32);
  for (float& p : nerds::grid_of(net.encoding()).params()) p = rng.next_float() * 2.f - 1.f;  // larger than init, so errors show
  const int n = 3000;
  std::vector<float> pos = uniform(3 * static_cast<size_t>(n), rng, 0.f, 1.f), dir(3 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Vec3 d = normalize(make_vec3(rng.next_float() - 0.5f, rng.next_float() - 0.5f, rng.next_float() - 0.5f));
    dir[3 * i] = d.x, dir[3 * i + 1] = d.y, dir[3 * i + 2] = d.z;
  }
  const std::vector<float> d_sigma = uniform(n, rng, -1e-3f, 1e-3f), d_rgb = uniform(3 * static_cast<size_t>(n), rng, -1e-2f, 1e-2f);

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
  const PackedModel model = fresh_model(net, occupancy);
  const cuda::NetworkPass gpu = cuda::network_pass(config.network, model, pos, dir, d_sigma, d_rgb);
  const std::vector<float> cpu_dd = joined_matrices(grads.density), cpu_dc = joined_matrices(grads.color);
  // log-density passes through exp: compare it in the log domain.
  std::vector<float> log_gpu(n), log_cpu(n);
  for (int i = 0; i < n; ++i) log_gpu[i] = std::log(gpu.sigma[i]), log_cpu[i] = std::log(sigma[i]);
  const double e_sigma = relative_l2(log_gpu, log_cpu), e_rgb = relative_l2(gpu.rgb, rgb);
  const double e_grid = relative_l2(gpu.d_grid, d_grid), e_dd = relative_l2(gpu.d_density, cpu_dd),
               e_dc = relative_l2(gpu.d_color, cpu_dc);
  MESSAGE("network: relative L2 error log sigma " << e_sigma << ", rgb " << e_rgb << ", d_grid " << e_grid
                                                   << ", d_density_mlp " << e_dd << ", d_color_mlp " << e_dc);
  CHECK(e_sigma < 1e-2);
  CHECK(e_rgb < 5e-3);
  CHECK(e_grid < 5e-2);
  CHECK(e_dd < 5e-2);
  CHECK(e_dc < 3e-2);
}

TEST_CASE("gpu training step: the same rays, samples, loss and parameter updates as the CPU step") {
  if (!gpu_or_skip()) return;
  TrainConfig config = small_config();
  config.occupancy.enabled = false;  // the grid update draws its random cells differently per backend
  const auto data = nerds_test::synthetic_dataset(8, 48, 7);
  Trainer cpu(config, data), gpu(config, data, true);
  const PackedModel before = packed(cpu);
  const float lr = cpu.current_lr();
  const StepStats a = cpu.step(), b = gpu.step();
  MESSAGE("step 1: rays " << a.rays << "/" << b.rays << ", marched " << a.marched_samples << "/" << b.marched_samples
                          << ", used " << a.used_samples << "/" << b.used_samples << ", loss " << a.loss << "/" << b.loss);
  CHECK(a.rays == b.rays);
  CHECK(std::abs(a.marched_samples - b.marched_samples) <= a.marched_samples / 200 + 1);
  CHECK(std::abs(a.used_samples - b.used_samples) <= a.used_samples / 50 + 1);
  CHECK(std::abs(a.loss - b.loss) <= 0.02 * a.loss);

  // Adam's first step moves every parameter with a gradient by about lr * sign(gradient):
  // the signs must agree where the CPU moved a parameter by more than half of that.
  const PackedModel ca = packed(cpu), ga = packed(gpu);
  auto agreement = [&](const std::string& tensors) {
    const std::vector<float> w0 = joined(before, tensors), wc = joined(ca, tensors), wg = joined(ga, tensors);
    size_t moved = 0, agree = 0;
    for (size_t i = 0; i < w0.size(); ++i) {
      const float dc = wc[i] - w0[i], dg = wg[i] - w0[i];
      if (std::fabs(dc) < 0.5f * lr) continue;
      ++moved;
      agree += (dc > 0.f) == (dg > 0.f);
    }
    return moved ? static_cast<double>(agree) / moved : 0.0;
  };
  const double a_density = agreement("field.density."), a_color = agreement("field.color.");
  const double a_grid = agreement("encoding.");
  MESSAGE("update sign agreement: density MLP " << a_density << ", color MLP " << a_color << ", hash table " << a_grid);
  CHECK(a_density > 0.9);
  CHECK(a_color > 0.9);
  CHECK(a_grid > 0.9);
  // Signs do not see the gradients' size (a wrong loss scale would pass): Adam's first
  // moment after one step is (1 - beta1) * gradient, so compare it too.
  const double m_density = relative_l2(joined(ga, "field.density.", Part::AdamM), joined(ca, "field.density.", Part::AdamM));
  const double m_color = relative_l2(joined(ga, "field.color.", Part::AdamM), joined(ca, "field.color.", Part::AdamM));
  const double m_grid = relative_l2(joined(ga, "encoding.", Part::AdamM), joined(ca, "encoding.", Part::AdamM));
  MESSAGE("first moments, relative L2: density MLP " << m_density << ", color MLP " << m_color << ", hash table " << m_grid);
  CHECK(m_density < 5e-2);
  CHECK(m_color < 5e-2);
  CHECK(m_grid < 5e-2);
}

TEST_CASE("gpu render: the same image as the CPU renderer for the same model") {
  if (!gpu_or_skip()) return;
  const TrainConfig config = small_config();
  const auto data = nerds_test::synthetic_dataset(8, 48, 9);
  Trainer cpu(config, data);
  for (int i = 0; i < 40; ++i) cpu.step();
  Trainer gpu(config, data, true);
  unpack_model(packed(cpu), gpu.param_tensors(), gpu.moments(), gpu.occupancy().values());
  gpu.occupancy().rebuild_bits();

  const Frame& f = data->frames[3];
  std::vector<Ray> rays;
  for (int y = 0; y < f.intrinsics.height; ++y)
    for (int x = 0; x < f.intrinsics.width; ++x) rays.push_back(camera_ray(f.pose, f.intrinsics, x + 0.5f, y + 0.5f));
  RenderSettings rs;
  rs.march = config.march;
  rs.min_transmittance = config.min_transmittance;
  RenderBuffers a, b;
  render_rays(cpu.network(), cpu.occupancy().view(), rs, rays.data(), rays.size(), a);
  gpu.backend().render(rays.data(), rays.size(), rs, b);
  const double p = psnr(b.rgb.data(), a.rgb.data(), a.rgb.size());
  double opacity_error = 0.0;
  for (size_t i = 0; i < rays.size(); ++i) opacity_error += std::fabs(a.opacity[i] - b.opacity[i]);
  opacity_error /= static_cast<double>(rays.size());
  MESSAGE("GPU vs CPU render: PSNR " << p << " dB, mean |opacity difference| " << opacity_error);
  CHECK(p > 35.0);
  CHECK(opacity_error < 0.01);
}

TEST_CASE("gpu lego 100 px: 600 steps on the GPU reach the CPU backend's quality floor") {
  if (!gpu_or_skip()) return;
  const nerds_test::LegoData lego = nerds_test::find_lego_100(NERDS_SHARED_DATASETS);
  if (lego.dir.empty()) {
    MESSAGE("skipped: no lego (set NERDS_DATA to a folder with lego_400, or provide ../shared/datasets/lego_100)");
    return;
  }
  EngineOptions options;
  options.data_dir = lego.dir;
  options.downscale = lego.downscale;
  options.device = "cuda";
  Engine engine(options, default_method_params());
  for (int i = 0; i < 600; ++i) engine.train_step();
  const nerds_test::SplitScore score = nerds_test::score_split(engine, engine.load_split("test"), 10);
  MESSAGE("GPU lego_100 after 600 steps (" << engine.stats().train_seconds << " s): " << score.mean_psnr
                                           << " dB over " << score.views << " views");
  CHECK(engine.stats().used_samples > 0);
  CHECK(score.mean_psnr >= 26.9);  // the CPU test's floor for the same 600 steps (test_synthetic_quality.cpp)
}

}  // namespace nerds

namespace nerds {

TEST_CASE("gpu occupancy update: the same cells, points and values as the CPU grid update") {
  if (!gpu_or_skip()) return;
  TrainConfig config = small_config();
  config.occupancy.resolution = 64;
  NerfNetwork net(config.network);
  net.initialize(4);
  Pcg32 rng(41, 42);
  for (float& p : nerds::grid_of(net.encoding()).params()) p = rng.next_float() * 2.f - 1.f;
  const auto data = nerds_test::synthetic_dataset(6, 32, 3);
  OccupancyGrid cpu(config.occupancy);
  cpu.mark_unseen(data->frames);
  // Warm-up pass (every cell): identical queries, so values agree up to half precision.
  const PackedModel model = fresh_model(net, cpu);
  const std::vector<float> gpu_values =
      cuda::occupancy_update_pass(config.network, model, config.occupancy, 0, 77);
  cpu.update(net, 0, 77);
  const double e = relative_l2(gpu_values, cpu.values());
  const float threshold = std::min(config.occupancy.threshold, cpu.mean_value());
  size_t same = 0, unseen_same = 0, unseen = 0;
  for (size_t i = 0; i < gpu_values.size(); ++i) {
    same += (gpu_values[i] > threshold) == (cpu.values()[i] > threshold);
    if (cpu.values()[i] < 0.f) ++unseen, unseen_same += gpu_values[i] < 0.f;
  }
  const double agree = static_cast<double>(same) / gpu_values.size();
  MESSAGE("occupancy warm-up update: relative L2 " << e << ", occupied-bit agreement " << agree << ", unseen cells "
                                                   << unseen);
  CHECK(e < 2e-2);
  CHECK(agree > 0.995);
  CHECK(unseen_same == unseen);
}

}  // namespace nerds
