// NeRF's skip connection in the CPU MLP (Mildenhall et al. 2020, supplement Fig. 7: the input
// joins the 5th layer's input): the forward pass against a plain double-precision reference,
// skip_layer = 0 as the MLP without a skip, a skip whose input weights are zero as the MLP
// without it, and the backward pass (weights and inputs) against finite differences.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "renderer/backend/mlp.h"
#include "tests/test_support/numeric.h"

using nerds::Mlp;
using nerds::MlpConfig;
using nerds_test::Random;

namespace {

struct ForwardRun {
  std::vector<std::vector<float>> hidden;
  std::vector<float*> ptrs;
  std::vector<float> out;
  ForwardRun(const Mlp& mlp, const std::vector<float>& x, int ld_x, int n) {
    for (int k = 0; k < mlp.config().hidden_layers; ++k)
      hidden.emplace_back(static_cast<size_t>(mlp.config().hidden) * n);
    for (auto& h : hidden) ptrs.push_back(h.data());
    out.resize(static_cast<size_t>(mlp.config().outputs) * n);
    mlp.forward(x.data(), ld_x, n, ptrs.data(), out.data(), mlp.config().outputs);
  }
  std::vector<bool> pattern() const {
    std::vector<bool> p;
    for (const auto& h : hidden)
      for (float v : h) p.push_back(v > 0.f);
    return p;
  }
};

// The MLP written out as NeRF describes it, in double: h_0 = relu(W_0 x), then
// h_k = relu(W_k [x; h_{k-1}]) at the skip layer and relu(W_k h_{k-1}) elsewhere, out = W_L h.
std::vector<double> reference_forward(const Mlp& mlp, const std::vector<float>& x, int ld_x, int n) {
  const MlpConfig& c = mlp.config();
  std::vector<double> out(static_cast<size_t>(c.outputs) * n);
  for (int s = 0; s < n; ++s) {
    const float* xs = x.data() + static_cast<size_t>(s) * ld_x;
    std::vector<double> in(xs, xs + c.inputs);
    for (size_t k = 0; k < mlp.weights().size(); ++k) {
      if (k > 0 && static_cast<int>(k) == c.skip_layer) in.insert(in.begin(), xs, xs + c.inputs);
      const Eigen::MatrixXf& w = mlp.weights()[k];
      REQUIRE(w.cols() == static_cast<Eigen::Index>(in.size()));
      std::vector<double> next(static_cast<size_t>(w.rows()), 0.0);
      for (Eigen::Index r = 0; r < w.rows(); ++r) {
        for (Eigen::Index col = 0; col < w.cols(); ++col) next[r] += static_cast<double>(w(r, col)) * in[col];
        if (k + 1 < mlp.weights().size()) next[r] = std::max(next[r], 0.0);
      }
      in = next;
    }
    std::copy(in.begin(), in.end(), out.begin() + static_cast<size_t>(s) * c.outputs);
  }
  return out;
}

double max_relative_difference(const std::vector<float>& a, const std::vector<double>& b) {
  double scale = 0.0, worst = 0.0;
  for (double v : b) scale = std::max(scale, std::fabs(v));
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst / std::max(scale, 1e-30);
}

}  // namespace

TEST_CASE("Mlp skip connection: layer shapes, and bad skip layers are refused") {
  const Mlp nerf({63, 256, 8, 257, 4});  // NeRF's trunk on a 10-frequency encoding
  REQUIRE(nerf.weights().size() == 9u);
  for (int k = 0; k < 9; ++k) {
    CAPTURE(k);
    CHECK(nerf.weights()[k].rows() == (k == 8 ? 257 : 256));
    CHECK(nerf.weights()[k].cols() == (k == 0 ? 63 : k == 4 ? 63 + 256 : 256));
  }
  CHECK(nerf.param_count() == 63u * 256 + 7u * 256 * 256 + 63u * 256 + 256u * 257);
  CHECK_THROWS_AS(Mlp({8, 16, 3, 4, 3}), std::invalid_argument);  // must be below hidden_layers
  CHECK_THROWS_AS(Mlp({8, 16, 3, 4, -1}), std::invalid_argument);
}

TEST_CASE(
    "Mlp skip connection: forward equals the written-out network, and skip 0 and zero input weights give the plain MLP") {
  for (int hidden : {16, 24, 64}) {  // 16/64: the register-blocked kernel; 24: Eigen
    for (int skip : {0, 1, 2}) {
      CAPTURE(hidden);
      CAPTURE(skip);
      const MlpConfig config{7, hidden, 3, 5, skip};
      Mlp mlp(config);
      mlp.initialize(7 + skip);
      const int n = 29, ld_x = config.inputs + 3;
      Random rng(11 + hidden + skip);
      const std::vector<float> x = rng.floats(static_cast<size_t>(ld_x) * n, -1.f, 1.f);
      const ForwardRun run(mlp, x, ld_x, n);
      CHECK(max_relative_difference(run.out, reference_forward(mlp, x, ld_x, n)) < 1e-5);
      if (skip == 0) continue;
      // With the input's columns of the skip layer zeroed, the skip adds nothing: the result
      // is the plain MLP's (skip_layer = 0) with the same hidden weights.
      Mlp plain({7, hidden, 3, 5, 0});
      for (size_t k = 0; k < mlp.weights().size(); ++k)
        plain.weights()[k] =
            static_cast<int>(k) == skip ? Eigen::MatrixXf(mlp.weights()[k].rightCols(hidden)) : mlp.weights()[k];
      mlp.weights()[skip].leftCols(config.inputs).setZero();
      const ForwardRun with_zero_skip(mlp, x, ld_x, n), without(plain, x, ld_x, n);
      for (size_t i = 0; i < without.out.size(); ++i)
        CHECK(with_zero_skip.out[i] == doctest::Approx(without.out[i]).epsilon(1e-6).scale(1.0));
    }
  }
}

TEST_CASE("Mlp skip connection: backward matches finite differences (weights and inputs)") {
  for (int skip : {1, 2}) {
    CAPTURE(skip);
    const MlpConfig config{5, 16, 3, 4, skip};
    Mlp mlp(config);
    mlp.initialize(40 + skip);
    const int n = 6, ld_x = config.inputs + 2;
    Random rng(200 + skip);
    std::vector<float> x = rng.floats(static_cast<size_t>(ld_x) * n, -1.f, 1.f);
    const std::vector<float> c = rng.floats(static_cast<size_t>(config.outputs) * n, -1.f, 1.f);
    const ForwardRun base(mlp, x, ld_x, n);
    const std::vector<bool> base_pattern = base.pattern();

    auto grads = mlp.zero_like();
    std::vector<float> scratch0(static_cast<size_t>(config.hidden) * n), scratch1(scratch0.size());
    const int ld_dx = config.inputs + 1;
    std::vector<float> d_x(static_cast<size_t>(ld_dx) * n, -7.f);
    mlp.backward(x.data(), ld_x, n, base.ptrs.data(), c.data(), d_x.data(), ld_dx, config.inputs, grads,
                 scratch0.data(), scratch1.data());

    // Linear in any single weight or input while the ReLU pattern stays (as in
    // test_mlp_gradients.cpp): the central difference is exact up to float rounding.
    const float h = 1e-2f;
    int skipped = 0;
    nerds_test::GradientCheck check;
    auto loss_at = [&](bool* same) {
      const ForwardRun r(mlp, x, ld_x, n);
      if (r.pattern() != base_pattern) *same = false;
      double s = 0.0;
      for (size_t i = 0; i < r.out.size(); ++i) s += static_cast<double>(c[i]) * r.out[i];
      return s;
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
        const double fd =
            nerds_test::central_difference([&](float v) { xv = v; }, [&] { return loss_at(&same); }, xv, h);
        if (!same) {
          ++skipped;
          continue;
        }
        check.add(100000 + col * 100 + row, d_x[static_cast<size_t>(col) * ld_dx + row], fd, 2e-4, 1e-4);
      }
    INFO("worst at " << check.worst_index << ": analytic " << check.worst_analytic << " numeric " << check.worst_numeric
                     << " (" << skipped << " skipped at ReLU kinks)");
    CHECK(check.worst <= 1.0);
    CHECK(skipped * 10 < check.checked);
    // The skip layer's input columns get gradient (the check above covers them; make sure
    // they are not all zero, which a skip that is never taken would give).
    float largest = 0.f;  // a plain loop: Eigen's vectorized reductions trip GCC 12's -Wmaybe-uninitialized
    for (Eigen::Index i = 0; i < config.inputs * config.hidden; ++i)
      largest = std::max(largest, std::fabs(grads[skip].data()[i]));
    CHECK(largest > 1e-3f);
    for (int col = 0; col < n; ++col) CHECK(d_x[static_cast<size_t>(col) * ld_dx + config.inputs] == -7.f);

    // Only the first dx_rows rows of dL/dx are written, each the sum of both paths.
    auto again = mlp.zero_like();
    std::vector<float> d_x2(static_cast<size_t>(ld_dx) * n, -7.f);
    mlp.backward(x.data(), ld_x, n, base.ptrs.data(), c.data(), d_x2.data(), ld_dx, 2, again, scratch0.data(),
                 scratch1.data());
    for (int col = 0; col < n; ++col)
      for (int row = 0; row < ld_dx; ++row) {
        const float v = d_x2[static_cast<size_t>(col) * ld_dx + row];
        if (row < 2)
          CHECK(v == doctest::Approx(d_x[static_cast<size_t>(col) * ld_dx + row]).epsilon(1e-5));
        else
          CHECK(v == -7.f);
      }
  }
}
