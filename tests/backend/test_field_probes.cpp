// The "encoding" and "field" modules' probes at the configurations the registry test does not
// reach by flipping Choice and Bool parameters alone: NeRF's 8x256 MLP with its skip
// connection, and the dense grid at a small size. Each probe's backward must match central
// differences of L = sum c * out in its inputs (where differentiable) and its parameters.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "renderer/backend/mlp.h"
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/fields/network_probes.h"
#include "tests/test_support/numeric.h"
#include "tests/test_support/small_engine.h"

using nerds::ModuleProbe;
using nerds::ParamSet;

namespace {

using nerds_test::default_params_with;

double weighted_sum(const ModuleProbe& probe, const std::vector<float>& in, int n, const std::vector<float>& c) {
  std::vector<float> out(static_cast<size_t>(n) * probe.output_dim());
  probe.forward(in.data(), n, out.data());
  double s = 0.0;
  for (size_t k = 0; k < out.size(); ++k) s += static_cast<double>(c[k]) * out[k];
  return s;
}

// A derivative by Richardson-extrapolated central differences, or NaN where the one-sided
// differences disagree by more than `kink` (a ReLU network is piecewise linear in any one
// weight or input, so they only disagree where the step crossed a kink, where no finite
// difference measures the derivative). kink = infinity: a smooth function.
template <class Set, class F>
double derivative_or_kink(Set set, F f, float x, float h, double kink) {
  set(x + h);
  const double fp = f();
  set(x - h);
  const double fm = f();
  set(x);
  const double f0 = f();
  const double up = (fp - f0) / (static_cast<double>(x + h) - x), down = (f0 - fm) / (x - static_cast<double>(x - h));
  if (std::fabs(up - down) > kink) return NAN;
  return nerds_test::richardson_difference(set, f, x, h);
}

// Checks every input and the `params_checked` parameters with the largest gradients. For a
// ReLU MLP (piecewise_linear) steps across a kink are left out, at most 1 in 10.
void check_gradients(ModuleProbe& probe, int n, size_t params_checked, bool piecewise_linear) {
  std::vector<float> in = probe.example_inputs(n, 3);
  REQUIRE(in.size() == static_cast<size_t>(n) * probe.input_dim());
  std::vector<float> out(static_cast<size_t>(n) * probe.output_dim());
  probe.forward(in.data(), n, out.data());
  for (float v : out) REQUIRE(std::isfinite(v));
  nerds_test::Random random(5);
  const std::vector<float> c = random.floats(out.size(), -1.f, 1.f);
  std::vector<float> d_in(in.size(), -9.f), d_params(probe.param_count(), 0.f);
  probe.backward(in.data(), c.data(), n, probe.differentiable_inputs() ? d_in.data() : nullptr,
                 d_params.empty() ? nullptr : d_params.data());
  const double tol = probe.gradient_tolerance();
  auto run = [&](float* values, const std::vector<size_t>& which, const std::vector<float>& analytic, double scale,
                 bool relative_step, const char* what) {
    nerds_test::GradientCheck check;
    int kinks = 0;
    for (size_t i : which) {
      const float x0 = values[i];
      const float h = relative_step ? std::max(1e-3f, 1e-3f * std::fabs(x0)) : probe.finite_difference_step();
      const double kink = piecewise_linear ? 0.25 * tol * scale : INFINITY;  // above float noise at these steps
      const double fd = derivative_or_kink([&](float v) { values[i] = v; },
                                           [&] { return weighted_sum(probe, in, n, c); }, x0, h, kink);
      values[i] = x0;
      if (std::isnan(fd)) {
        ++kinks;
        continue;
      }
      check.add(static_cast<int>(i), analytic[i], fd, tol * scale, tol);
    }
    INFO(what << ": worst at " << check.worst_index << ": analytic " << check.worst_analytic << ", numeric "
              << check.worst_numeric << " (" << kinks << " of " << which.size() << " steps crossed a kink)");
    CHECK(check.worst <= 1.0);
    CHECK(kinks * 10 <= static_cast<int>(which.size()));
  };
  if (probe.differentiable_inputs()) {
    double scale = 0.0;
    for (float g : d_in) scale = std::max(scale, static_cast<double>(std::fabs(g)));
    std::vector<size_t> all(in.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    run(in.data(), all, d_in, scale, false, "inputs");
  }
  if (!d_params.empty()) {
    std::vector<size_t> order(d_params.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    const size_t top = std::min(order.size(), params_checked);
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [&](size_t a, size_t b) { return std::fabs(d_params[a]) > std::fabs(d_params[b]); });
    const double scale = std::fabs(d_params[order[0]]);
    REQUIRE(scale > 0.0);
    order.resize(top);
    run(probe.params(), order, d_params, scale, true, "params");
  }
}


}  // namespace

TEST_CASE("field probes: NeRF's MLP (8x256, input joining after layer 4, 257 features, color 1x128)") {
  nerds::Dataset data;
  const ParamSet p =
      default_params_with({"encoding.kind=frequency", "field.density_layers=8", "field.density_hidden=256",
                   "field.skip_layer=4", "field.geo_features=257", "field.color_layers=1", "field.color_hidden=128"});
  nerds::ModuleProbes probes = nerds::field_probes(p, data);
  REQUIRE(probes.size() == 2u);
  CHECK(probes[0]->input_dim() == 63);
  CHECK(probes[0]->output_dim() == 257);
  CHECK(probes[0]->param_count() == 63u * 256 + 7u * 256 * 256 + 63u * 256 + 256u * 257);
  CHECK(probes[0]->name().find("after layer 4") != std::string::npos);
  CHECK(probes[1]->input_dim() == 257 + 16);
  CHECK(probes[1]->output_dim() == 3);
  for (auto& probe : probes) {
    CAPTURE(probe->name());
    check_gradients(*probe, 4, 24, true);
  }
}

TEST_CASE("field probes: a small skip MLP, every weight") {
  nerds::Dataset data;
  const ParamSet p =
      default_params_with({"encoding.levels=4", "field.density_layers=3", "field.density_hidden=16", "field.skip_layer=2",
                   "field.geo_features=4", "field.color_hidden=16", "field.sh_degree=2"});
  nerds::ModuleProbes probes = nerds::field_probes(p, data);
  REQUIRE(probes.size() == 2u);
  CHECK(probes[0]->input_dim() == 8);
  CHECK(probes[1]->input_dim() == 8);
  for (auto& probe : probes) {
    CAPTURE(probe->name());
    check_gradients(*probe, 5, probe->param_count(), true);
  }
}

TEST_CASE("encoding probes: the dense grid's table and Mip-NeRF's IPE inputs") {
  nerds::Dataset data;
  for (const char* kind : {"dense", "hash", "ipe", "frequency", "none"}) {
    CAPTURE(kind);
    const ParamSet p = default_params_with({std::string("encoding.kind=") + kind, "encoding.levels=6",
                                    "encoding.dense_max_resolution=40", "encoding.log2_table_size=12"});
    nerds::ModuleProbes probes = nerds::encoding_probes(p, data);
    REQUIRE(probes.size() == 1u);
    ModuleProbe& probe = *probes[0];
    CHECK(probe.name() == std::string("encoding (kind=") + kind + ")");
    const bool grid = std::string(kind) == "dense" || std::string(kind) == "hash";
    CHECK(probe.differentiable_inputs() == !grid);
    CHECK(probe.input_dim() == (std::string(kind) == "ipe" ? 6 : 3));
    CHECK(probe.output_dim() == (grid ? 12 : std::string(kind) == "none" ? 3 : std::string(kind) == "ipe" ? 60 : 63));
    CHECK((probe.param_count() > 0) == grid);
    check_gradients(probe, 6, 48, false);
  }
}
