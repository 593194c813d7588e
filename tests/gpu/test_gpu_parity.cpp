// Parity of the CUDA kernels with the CPU backend on random inputs. Every test case's name
// starts with "gpu" (scripts/gpu-check.sh selects them so); without a usable device each
// prints "gpu test skipped: ..." and returns, and ctest reports it as skipped.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "cuda/math_kernels.h"
#include "renderer/backend/device_info.h"
#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/math/compositing.h"
#include "renderer/math/rng.h"
#include "renderer/math/sh.h"
#include "tests/gpu/gpu_test_support.h"

namespace nerds {
namespace {

using nerds_test::gpu_or_skip;

using nerds_test::uniform;

// Largest |a - b| / (1 + |b|): float sums in another order differ by a few ulps of the sum.
double max_rel_error(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double e = 0.0;
  for (size_t i = 0; i < a.size(); ++i) e = std::max(e, std::fabs(double(a[i]) - b[i]) / (1.0 + std::fabs(double(b[i]))));
  return e;
}

HashGridConfig small_grid() {
  HashGridConfig c;
  c.levels = 8;
  c.log2_table_size = 14;
  c.max_resolution = 512;
  return c;
}

}  // namespace

TEST_CASE("gpu hash grid: encoding and its backward match the CPU backend") {
  if (!gpu_or_skip()) return;
  HashGrid grid(small_grid());
  grid.initialize(7);
  Pcg32 rng(3, 4);
  for (float& p : grid.params()) p = rng.next_float() * 2.f - 1.f;  // larger than init, so errors show
  const int n = 4096;
  const std::vector<float> pos = uniform(3 * n, rng, 0.f, 1.f);
  const int E = grid.output_dim();
  std::vector<float> cpu(static_cast<size_t>(E) * n);
  grid.encode(pos.data(), n, cpu.data(), E);
  CHECK(max_rel_error(cuda::hash_grid_encode(grid.view(), grid.params(), pos), cpu) < 1e-5);

  const std::vector<float> d_out = uniform(static_cast<size_t>(E) * n, rng, -1.f, 1.f);
  std::vector<float> cpu_grad(grid.param_count(), 0.f);
  for (int l = 0; l < grid.config().levels; ++l) grid.backward_level(l, pos.data(), d_out.data(), n, E, cpu_grad.data());
  // Atomic adds sum in another order: a relative tolerance on the accumulated entries.
  CHECK(max_rel_error(cuda::hash_grid_backward(grid.view(), grid.param_count(), pos, d_out), cpu_grad) < 1e-4);
}

TEST_CASE("gpu spherical harmonics: every degree matches the CPU") {
  if (!gpu_or_skip()) return;
  Pcg32 rng(5, 6);
  const int n = 1000;
  std::vector<float> dirs(3 * n);
  for (int i = 0; i < n; ++i) {
    float x = rng.next_float() * 2 - 1, y = rng.next_float() * 2 - 1, z = rng.next_float() * 2 - 1;
    const float len = std::sqrt(x * x + y * y + z * z) + 1e-6f;
    dirs[3 * i] = x / len, dirs[3 * i + 1] = y / len, dirs[3 * i + 2] = z / len;
  }
  for (int degree = 1; degree <= kMaxShDegree; ++degree) {
    std::vector<float> cpu(static_cast<size_t>(n) * degree * degree);
    for (int i = 0; i < n; ++i) sh_encode(dirs[3 * i], dirs[3 * i + 1], dirs[3 * i + 2], degree, &cpu[i * degree * degree]);
    CHECK(max_rel_error(cuda::sh_encode(dirs, degree), cpu) < 1e-6);
  }
}

TEST_CASE("gpu compositing: forward, loss and backward per ray match the CPU") {
  if (!gpu_or_skip()) return;
  Pcg32 rng(9, 10);
  cuda::CompositeBatch batch;
  const int n_rays = 512;
  for (int r = 0; r < n_rays; ++r) {
    const int count = static_cast<int>(rng.next_uint() % 200);
    batch.ray_begin.push_back(static_cast<int>(batch.sigma.size()));
    batch.ray_count.push_back(count);
    float t = 0.5f;
    for (int i = 0; i < count; ++i) {
      batch.sigma.push_back(rng.next_float() * 60.f);
      for (int k = 0; k < 3; ++k) batch.rgb.push_back(rng.next_float());
      batch.dt.push_back(0.01f);
      batch.t.push_back(t += 0.01f);
    }
    for (int k = 0; k < 3; ++k) {
      batch.background.push_back(rng.next_float());
      batch.target.push_back(rng.next_float());
    }
  }
  batch.loss_scale = 1.f / (3.f * n_rays);
  for (LossKind loss : {LossKind::L2, LossKind::Huber}) {
    batch.loss = loss;
    const cuda::CompositeGradients gpu = cuda::composite_and_backward(batch);
    std::vector<float> d_sigma(batch.sigma.size(), 0.f), d_rgb(batch.rgb.size(), 0.f), pred(3 * n_rays);
    for (int r = 0; r < n_rays; ++r) {
      const int b = batch.ray_begin[r];
      CompositeResult cr;
      composite_forward(&batch.sigma[b], &batch.rgb[3 * b], &batch.dt[b], &batch.t[b], batch.ray_count[r],
                        batch.min_transmittance, &cr);
      float p[3], d_pred[3];
      for (int k = 0; k < 3; ++k) p[k] = cr.rgb[k] + cr.transmittance * batch.background[3 * r + k];
      photometric_loss(loss, p, &batch.target[3 * r], batch.huber_delta, batch.loss_scale, d_pred);
      composite_backward(&batch.sigma[b], &batch.rgb[3 * b], &batch.dt[b], cr.used, p, d_pred, &d_sigma[b],
                         &d_rgb[3 * b]);
      for (int k = 0; k < 3; ++k) pred[3 * r + k] = p[k];
      CHECK(gpu.used[r] == cr.used);
    }
    CHECK(max_rel_error(gpu.pred, pred) < 1e-5);
    CHECK(max_rel_error(gpu.d_sigma, d_sigma) < 1e-4);
    CHECK(max_rel_error(gpu.d_rgb, d_rgb) < 1e-5);
  }
}

TEST_CASE("gpu adam: one step matches the CPU, zero gradients skipped") {
  if (!gpu_or_skip()) return;
  Pcg32 rng(11, 12);
  const size_t n = 10000;
  std::vector<float> params = uniform(n, rng, -1.f, 1.f), grads = uniform(n, rng, -0.1f, 0.1f);
  for (size_t i = 0; i < n; i += 3) grads[i] = 0.f;
  std::vector<float> m = uniform(n, rng, -0.01f, 0.01f), v = uniform(n, rng, 0.f, 0.01f);
  const AdamStep step = make_adam_step(1e-2f, 0.9f, 0.99f, 1e-15f, 7, 0.f);
  std::vector<float> cp = params, cm = m, cv = v;
  for (size_t i = 0; i < n; ++i) adam_update(step, grads[i], true, &cp[i], &cm[i], &cv[i]);
  std::vector<float> gp = params, gm = m, gv = v;
  cuda::adam(step, true, gp, grads, gm, gv);
  CHECK(max_rel_error(gp, cp) < 1e-6);
  CHECK(max_rel_error(gm, cm) < 1e-6);
  CHECK(max_rel_error(gv, cv) < 1e-6);
  for (size_t i = 0; i < n; i += 3) CHECK(gp[i] == params[i]);
}

}  // namespace nerds
