// The CPU backend's networks against finite differences: Mlp::backward (weights and input
// gradients), NerfNetwork::backward through trunc_exp density and sigmoid color into the MLP
// weights and the hash table, and NerfNetwork::compact.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "renderer/backend/mlp.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "tests/test_support/numeric.h"

using nerds::Mlp;
using nerds::MlpConfig;
using nerds::NerfNetwork;
using nerds::NetworkConfig;
using nerds::NetworkGradients;
using nerds::NetworkWorkspace;
using nerds_test::Random;

namespace {

// Storage for one Mlp forward pass over n columns.
struct MlpRun {
  std::vector<std::vector<float>> hidden;
  std::vector<float*> hidden_ptrs;
  std::vector<float> out;
  MlpRun(const Mlp& mlp, int n) {
    for (int k = 0; k < mlp.config().hidden_layers; ++k) hidden.emplace_back(static_cast<size_t>(mlp.config().hidden) * n);
    for (auto& h : hidden) hidden_ptrs.push_back(h.data());
    out.resize(static_cast<size_t>(mlp.config().outputs) * n);
  }
  // Which hidden units are active: finite differences are only valid while it stays put.
  std::vector<bool> pattern() const {
    std::vector<bool> p;
    for (const auto& h : hidden)
      for (float v : h) p.push_back(v > 0.f);
    return p;
  }
};

// Largest |entry| (a plain loop: Eigen's vectorized reductions trip GCC 12's
// -Wmaybe-uninitialized with AVX-512).
float max_abs(const Eigen::MatrixXf& m) {
  float v = 0.f;
  for (Eigen::Index i = 0; i < m.size(); ++i) v = std::max(v, std::fabs(m.data()[i]));
  return v;
}

// Loss sum_ij c_ij out_ij in double; out is (outputs x n) contiguous.
double linear_loss(const std::vector<float>& out, const std::vector<float>& c) {
  double s = 0.0;
  for (size_t i = 0; i < out.size(); ++i) s += static_cast<double>(c[i]) * out[i];
  return s;
}

}  // namespace

TEST_CASE("Mlp backward matches finite differences (weights and inputs)") {
  for (int layers : {1, 2, 3}) {
    CAPTURE(layers);
    const MlpConfig config{5, 8, layers, 4};
    Mlp mlp(config);
    mlp.initialize(42 + layers);
    const int n = 7;
    const int ld_x = config.inputs + 2;  // strided input, as the network's encoding buffer
    Random rng(100 + layers);
    std::vector<float> x = rng.floats(static_cast<size_t>(ld_x) * n, -1.f, 1.f);
    std::vector<float> c = rng.floats(static_cast<size_t>(config.outputs) * n, -1.f, 1.f);

    MlpRun run(mlp, n);
    mlp.forward(x.data(), ld_x, n, run.hidden_ptrs.data(), run.out.data(), config.outputs);
    const std::vector<bool> base_pattern = run.pattern();

    auto grads = mlp.zero_like();
    std::vector<float> scratch0(static_cast<size_t>(config.hidden) * n), scratch1(scratch0.size());
    const int ld_dx = config.inputs + 1;
    std::vector<float> d_x(static_cast<size_t>(ld_dx) * n, -7.f);
    mlp.backward(x.data(), ld_x, n, run.hidden_ptrs.data(), c.data(), d_x.data(), ld_dx, config.inputs, grads,
                 scratch0.data(), scratch1.data());

    // The network is linear in any single weight or input while the ReLU pattern is fixed
    // (out = W_L D_{L-1} W_{L-1} ... D_0 W_0 x), so the central difference is exact up to
    // rounding. Float forward: outputs of magnitude ~1 rounded to ~1e-7 relative, 28 of them
    // in the loss -> ~1e-6 absolute worst; over 2h = 2e-2 -> 5e-5. atol 2e-4 + rtol 1e-4;
    // a sign or transpose error changes gradients of size ~0.1-1 completely.
    const float h = 1e-2f;
    int skipped = 0;
    nerds_test::GradientCheck check;
    auto loss_at = [&](bool* same_pattern) {
      MlpRun r(mlp, n);
      mlp.forward(x.data(), ld_x, n, r.hidden_ptrs.data(), r.out.data(), config.outputs);
      if (r.pattern() != base_pattern) *same_pattern = false;
      return linear_loss(r.out, c);
    };
    for (size_t k = 0; k < mlp.weights().size(); ++k) {
      Eigen::MatrixXf& w = mlp.weights()[k];
      for (Eigen::Index i = 0; i < w.size(); ++i) {
        bool same = true;
        const double fd = nerds_test::central_difference([&](float v) { w.data()[i] = v; },
                                                         [&] { return loss_at(&same); }, w.data()[i], h);
        if (!same) {
          ++skipped;
          continue;
        }
        check.add(static_cast<int>(1000 * k + i), grads[k].data()[i], fd, 2e-4, 1e-4);
      }
    }
    for (int col = 0; col < n; ++col)
      for (int row = 0; row < config.inputs; ++row) {
        float& xv = x[static_cast<size_t>(col) * ld_x + row];
        bool same = true;
        const double fd = nerds_test::central_difference([&](float v) { xv = v; }, [&] { return loss_at(&same); }, xv, h);
        if (!same) {
          ++skipped;
          continue;
        }
        check.add(100000 + col * 100 + row, d_x[static_cast<size_t>(col) * ld_dx + row], fd, 2e-4, 1e-4);
      }
    INFO("worst at " << check.worst_index << ": analytic " << check.worst_analytic << " numeric "
                     << check.worst_numeric << " (" << skipped << " skipped at ReLU kinks)");
    CHECK(check.worst <= 1.0);
    CHECK(skipped * 10 < check.checked);
    // Rows past the leading dimension's used rows are untouched.
    for (int col = 0; col < n; ++col) CHECK(d_x[static_cast<size_t>(col) * ld_dx + config.inputs] == -7.f);

    // d_weights accumulate; only the first dx_rows rows of dL/dx are written.
    auto again = grads;
    std::vector<float> d_x2(static_cast<size_t>(ld_dx) * n, -7.f);
    mlp.backward(x.data(), ld_x, n, run.hidden_ptrs.data(), c.data(), d_x2.data(), ld_dx, 2, again, scratch0.data(),
                 scratch1.data());
    for (size_t k = 0; k < grads.size(); ++k) CHECK(max_abs(again[k] - 2.f * grads[k]) <= 1e-5f * (1.f + max_abs(grads[k])));
    for (int col = 0; col < n; ++col)
      for (int row = 0; row < ld_dx; ++row) {
        const float v = d_x2[static_cast<size_t>(col) * ld_dx + row];
        if (row < 2) CHECK(v == doctest::Approx(d_x[static_cast<size_t>(col) * ld_dx + row]).epsilon(1e-5));
        else CHECK(v == -7.f);
      }
  }
}

namespace {

NetworkConfig small_network_config() {
  NetworkConfig c;
  c.grid.levels = 4;
  c.grid.features = 2;
  c.grid.log2_table_size = 12;
  c.grid.base_resolution = 16;
  c.grid.max_resolution = 128;
  c.density_hidden = 16;
  c.density_layers = 1;
  c.geo_features = 16;
  c.color_hidden = 16;
  c.color_layers = 2;
  c.sh_degree = 4;
  return c;
}

// A small network whose hash features are of order 1 (instead of the 1e-4 initialization),
// so the density MLP's first layer and the table both receive sizeable gradients.
NerfNetwork make_small_network(uint64_t seed) {
  NerfNetwork net(small_network_config());
  net.initialize(seed);
  Random rng(seed);
  for (float& p : nerds::grid_of(net.encoding()).params()) p = rng.uniformf(-1.f, 1.f);
  return net;
}

struct WeightedSamples {
  std::vector<float> pos, dir, a, b;  // a: dL/dsigma weights, b: dL/drgb weights
  int n = 0;
};

WeightedSamples make_samples(int n, uint64_t seed) {
  Random rng(seed);
  WeightedSamples s;
  s.n = n;
  s.pos = rng.floats(3 * n, 0.05f, 0.95f);
  for (int i = 0; i < n; ++i) {
    double d[3], len = 0.0;
    for (double& v : d) {
      v = rng.uniform(-1.0, 1.0);
      len += v * v;
    }
    for (double v : d) s.dir.push_back(static_cast<float>(v / std::sqrt(len)));
  }
  s.a = rng.floats(n, -1.f, 1.f);
  s.b = rng.floats(3 * n, -1.f, 1.f);
  return s;
}

std::vector<bool> active_pattern(const NerfNetwork& net, const NetworkWorkspace& ws, int n) {
  std::vector<bool> p;
  for (const float* h : ws.density_hidden_ptrs)
    for (int i = 0; i < net.config().density_hidden * n; ++i) p.push_back(h[i] > 0.f);
  for (const float* h : ws.color_hidden_ptrs)
    for (int i = 0; i < net.config().color_hidden * n; ++i) p.push_back(h[i] > 0.f);
  return p;
}

// L = sum_i a_i sigma_i + sum_ik b_ik rgb_ik, in double.
double network_loss(const NerfNetwork& net, const WeightedSamples& s, std::vector<bool>* pattern) {
  NetworkWorkspace ws;
  std::vector<float> sigma(s.n), rgb(3 * s.n);
  net.forward(s.pos.data(), s.dir.data(), s.n, ws, sigma.data(), rgb.data());
  if (pattern) *pattern = active_pattern(net, ws, s.n);
  double loss = 0.0;
  for (int i = 0; i < s.n; ++i) loss += static_cast<double>(s.a[i]) * sigma[i];
  for (int i = 0; i < 3 * s.n; ++i) loss += static_cast<double>(s.b[i]) * rgb[i];
  return loss;
}

}  // namespace

TEST_CASE("NerfNetwork backward matches finite differences (MLP weights and hash table)") {
  NerfNetwork net = make_small_network(9);
  const WeightedSamples s = make_samples(7, 31);
  NetworkWorkspace ws;
  std::vector<float> sigma(s.n), rgb(3 * s.n);
  net.forward(s.pos.data(), s.dir.data(), s.n, ws, sigma.data(), rgb.data());
  const std::vector<bool> base_pattern = active_pattern(net, ws, s.n);
  NetworkGradients grads = net.make_gradients();
  net.backward(ws, s.n, s.a.data(), s.b.data(), grads);
  std::vector<float> d_table(nerds::grid_of(net.encoding()).param_count(), 0.f);
  for (int l = 0; l < nerds::grid_of(net.encoding()).config().levels; ++l)
    nerds::grid_of(net.encoding()).backward_level(l, s.pos.data(), ws.d_enc.data(), s.n, net.encoding_dim(), d_table.data());

  // sigma = exp(raw) and rgb = sigmoid(raw) are smooth, so the Richardson-extrapolated central
  // difference has an O(h^4) truncation error (~1e-9 at h = 1e-2 for derivatives of order
  // 1-10); float rounding in the forward (outputs ~1, 28 of them with weights <= 1, each
  // rounded to ~2e-7 relative after several layers) gives ~5e-6 in the loss, over 2h ->
  // ~3e-4 worst case, typically 3e-5. atol 3e-4 + rtol 3e-3; the checks are only kept
  // where the ReLU pattern is the same at p +- 2h (elsewhere L is not differentiable).
  const float h = 1e-2f;
  Random rng(77);
  int skipped = 0;
  auto fd = [&](float& p, bool* ok) {
    std::vector<bool> pattern;
    const double d = nerds_test::richardson_difference(
        [&](float v) { p = v; },
        [&] {
          const double l = network_loss(net, s, &pattern);
          if (pattern != base_pattern) *ok = false;
          return l;
        },
        p, h);
    return d;
  };

  auto check_matrices = [&](std::vector<Eigen::MatrixXf>& weights, const std::vector<Eigen::MatrixXf>& g,
                            const char* name) {
    for (size_t k = 0; k < weights.size(); ++k) {
      nerds_test::GradientCheck check;
      Eigen::MatrixXf& w = weights[k];
      // Row 0 of the density MLP's output layer produces log-density: always try it. Then
      // random entries until 10 were checked (a perturbation that flips any ReLU among the
      // ~350 hidden units of the 7 samples is skipped; for the first layers that is common).
      std::vector<Eigen::Index> picks;
      if (std::string(name) == "density" && k + 1 == weights.size())
        for (Eigen::Index c = 0; c < w.cols(); c += 3) picks.push_back(c * w.rows());
      for (int t = 0; t < 100; ++t) picks.push_back(rng.index(static_cast<int>(w.size())));
      for (Eigen::Index i : picks) {
        if (check.checked >= 10 + static_cast<int>(w.cols() / 3)) break;
        bool ok = true;
        const double numeric = fd(w.data()[i], &ok);
        if (!ok) {
          ++skipped;
          continue;
        }
        check.add(static_cast<int>(i), g[k].data()[i], numeric, 3e-4, 3e-3);
      }
      CAPTURE(name);
      CAPTURE(k);
      INFO("worst entry " << check.worst_index << ": analytic " << check.worst_analytic << " numeric "
                          << check.worst_numeric);
      CHECK(check.checked >= 10);
      CHECK(check.worst <= 1.0);
    }
  };
  check_matrices(net.density_mlp().weights(), grads.density, "density");
  check_matrices(net.color_mlp().weights(), grads.color, "color");

  // Hash-table entries the samples touched, in every level.
  std::vector<size_t> touched;
  for (size_t k = 0; k < d_table.size(); ++k)
    if (d_table[k] != 0.f) touched.push_back(k);
  REQUIRE(touched.size() > 100);
  nerds_test::GradientCheck table_check;
  for (int t = 0; t < 60; ++t) {
    const size_t k = touched[static_cast<size_t>(rng.index(static_cast<int>(touched.size())))];
    bool ok = true;
    const double numeric = fd(nerds::grid_of(net.encoding()).params()[k], &ok);
    if (!ok) {
      ++skipped;
      continue;
    }
    table_check.add(static_cast<int>(k), d_table[k], numeric, 3e-4, 3e-3);
  }
  INFO("worst table entry " << table_check.worst_index << ": analytic " << table_check.worst_analytic << " numeric "
                            << table_check.worst_numeric);
  CHECK(table_check.checked >= 40);
  CHECK(table_check.worst <= 1.0);
  MESSAGE("NerfNetwork gradient check: " << skipped << " perturbations skipped at ReLU kinks");
}

TEST_CASE("NerfNetwork density path: the log-density output gets d_sigma * exp(raw)") {
  // With d_rgb = 0 only the density path carries gradient: the output layer's row 0 gets
  // sum_i d_sigma_i exp(raw_i) h_i and every other row of it gets exactly zero.
  NerfNetwork net = make_small_network(4);
  const WeightedSamples s = make_samples(7, 8);
  NetworkWorkspace ws;
  std::vector<float> sigma(s.n), rgb(3 * s.n);
  net.forward(s.pos.data(), s.dir.data(), s.n, ws, sigma.data(), rgb.data());
  std::vector<float> hidden(ws.density_hidden_ptrs[0], ws.density_hidden_ptrs[0] + net.config().density_hidden * s.n);
  NetworkGradients grads = net.make_gradients();
  const std::vector<float> zero_rgb(3 * s.n, 0.f);
  net.backward(ws, s.n, s.a.data(), zero_rgb.data(), grads);
  const Eigen::MatrixXf& g_out = grads.density.back();
  const int H = net.config().density_hidden;
  for (int j = 0; j < H; ++j) {
    double expected = 0.0;
    for (int i = 0; i < s.n; ++i) expected += static_cast<double>(s.a[i]) * sigma[i] * hidden[static_cast<size_t>(i) * H + j];
    CHECK(g_out(0, j) == doctest::Approx(expected).epsilon(1e-5).scale(1e-3));
    for (int r = 1; r < g_out.rows(); ++r) CHECK(g_out(r, j) == 0.f);
  }
  for (const auto& g : grads.color) CHECK(max_abs(g) == 0.f);
}

TEST_CASE("NerfNetwork::compact keeps the selected columns for the backward pass") {
  NerfNetwork net = make_small_network(21);
  const WeightedSamples s = make_samples(7, 55);
  const std::vector<int> keep = {1, 3, 4, 6};
  const int m = static_cast<int>(keep.size());

  // Full batch, compacted to `keep`, then backward on those m columns.
  NetworkWorkspace ws;
  std::vector<float> sigma(s.n), rgb(3 * s.n);
  net.forward(s.pos.data(), s.dir.data(), s.n, ws, sigma.data(), rgb.data());
  net.compact(ws, keep.data(), m);
  std::vector<float> d_sigma, d_rgb, pos_kept;
  WeightedSamples sub;
  sub.n = m;
  for (int j : keep) {
    d_sigma.push_back(s.a[j]);
    for (int k = 0; k < 3; ++k) {
      d_rgb.push_back(s.b[3 * j + k]);
      sub.pos.push_back(s.pos[3 * j + k]);
      sub.dir.push_back(s.dir[3 * j + k]);
    }
  }
  NetworkGradients g_compact = net.make_gradients();
  net.backward(ws, m, d_sigma.data(), d_rgb.data(), g_compact);
  const std::vector<float> d_enc_compact(ws.d_enc.begin(), ws.d_enc.begin() + static_cast<size_t>(net.encoding_dim()) * m);

  // Reference: a forward and backward of only those samples.
  NetworkWorkspace ws2;
  std::vector<float> sigma2(m), rgb2(3 * m);
  net.forward(sub.pos.data(), sub.dir.data(), m, ws2, sigma2.data(), rgb2.data());
  for (int j = 0; j < m; ++j) CHECK(sigma2[j] == doctest::Approx(sigma[keep[j]]).epsilon(1e-6));
  NetworkGradients g_ref = net.make_gradients();
  net.backward(ws2, m, d_sigma.data(), d_rgb.data(), g_ref);

  // The same columns in the same order: equal up to the GEMM kernels' rounding for a
  // different batch width in the forward pass (1e-6 relative).
  auto same = [](const std::vector<Eigen::MatrixXf>& a, const std::vector<Eigen::MatrixXf>& b) {
    for (size_t k = 0; k < a.size(); ++k) {
      const float scale = 1.f + max_abs(b[k]);
      if (max_abs(a[k] - b[k]) > 1e-5f * scale) return false;
    }
    return true;
  };
  CHECK(same(g_compact.density, g_ref.density));
  CHECK(same(g_compact.color, g_ref.color));
  for (size_t i = 0; i < d_enc_compact.size(); ++i)
    CHECK(d_enc_compact[i] == doctest::Approx(ws2.d_enc[i]).epsilon(1e-5).scale(1e-3));

  // And it differs from the backward of the first m (uncompacted) columns, so the check
  // above can tell the two apart.
  NetworkWorkspace ws3;
  std::vector<float> sigma3(s.n), rgb3(3 * s.n);
  net.forward(s.pos.data(), s.dir.data(), s.n, ws3, sigma3.data(), rgb3.data());
  NetworkGradients g_wrong = net.make_gradients();
  net.backward(ws3, m, d_sigma.data(), d_rgb.data(), g_wrong);
  CHECK_FALSE(same(g_wrong.density, g_ref.density));
}
