// Registry-driven checks: every registered technique module gets the same tests, with no
// per-module test code. For each module and each setting of its own Choice and Bool
// parameters, every function the module computes (its ModuleProbes) must have the declared
// shapes, give finite and repeatable outputs, and have a backward pass that matches finite
// differences in its inputs (where differentiable) and its trained parameters; every
// module's parameters must round-trip through JSON, and every method file in
// scenes/methods/ must load and train a few steps on a tiny scene.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/techniques/core/modules.h"
#include "scenes/generator/scene_maker.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/engine_eval.h"
#include "tests/test_support/numeric.h"
#include "tests/test_support/small_scene.h"

using namespace nerds;
namespace fs = std::filesystem;

namespace {

// The modules that only set options and compute nothing of their own.
bool computes_nothing(const std::string& module) { return module == "trainer"; }

// One tiny forward-facing scene for every probe (a camera rig with a reference view, so a
// warp into NDC has a frame) and for the method files' training runs.
const std::string& tiny_scene() {
  static nerds_test::TempFolder folder("module_registry");
  static const std::string dir = [] {
    nerds_test::make_small_scene("forward", folder.str(), 24, 12, 2);
    return folder.str();
  }();
  return dir;
}

const Dataset& tiny_dataset() {
  static const Dataset data = load_dataset(tiny_scene());
  return data;
}

// The parameter sets a module is probed under: its defaults, then each value of each of its
// own Choice parameters and the flip of each of its Bool parameters, one change at a time.
struct Variant {
  std::string label;
  ParamSet params;
};

std::vector<Variant> variants_of(const TechniqueModule& m) {
  const ParamSet defaults = default_method_params();
  std::vector<Variant> out = {{"defaults", defaults}};
  for (const std::string& group : defaults.modules()) {
    for (const ParamEntry& e : defaults.entries_of(group)) {
      if (group != m.name) continue;
      if (e.spec.type == ParamType::Choice) {
        for (const std::string& c : e.spec.choices) {
          if (c == std::get<std::string>(e.default_value)) continue;
          ParamSet p = defaults;
          p.set(e.path(), c);
          out.push_back({e.path() + "=" + c, p});
        }
      } else if (e.spec.type == ParamType::Bool) {
        ParamSet p = defaults;
        p.set(e.path(), !std::get<bool>(e.default_value));
        out.push_back({e.path() + "=" + format_param_value(p.entry(e.path()).value), p});
      }
    }
  }
  return out;
}

// L = sum_k c_k out_k in double, for fixed random weights c.
double weighted_sum(const ModuleProbe& probe, const std::vector<float>& in, int n, const std::vector<float>& c) {
  std::vector<float> out(static_cast<size_t>(n) * probe.output_dim());
  probe.forward(in.data(), n, out.data());
  double s = 0.0;
  for (size_t k = 0; k < out.size(); ++k) s += static_cast<double>(c[k]) * out[k];
  return s;
}

void check_probe(ModuleProbe& probe) {
  const int n = 6;
  const int din = probe.input_dim(), dout = probe.output_dim();
  REQUIRE(din > 0);
  REQUIRE(dout > 0);

  // Shapes and finite, repeatable values.
  std::vector<float> in = probe.example_inputs(n, 7);
  REQUIRE(in.size() == static_cast<size_t>(n) * din);
  for (float x : in) REQUIRE(std::isfinite(x));
  std::vector<float> out(static_cast<size_t>(n) * dout, NAN), again(out.size(), NAN);
  probe.forward(in.data(), n, out.data());
  probe.forward(in.data(), n, again.data());
  for (size_t k = 0; k < out.size(); ++k) {
    CAPTURE(k);
    REQUIRE(std::isfinite(out[k]));
    REQUIRE(out[k] == again[k]);
  }
  // A batch is n independent evaluations: the first input alone gives the first output.
  std::vector<float> one(dout);
  probe.forward(in.data(), 1, one.data());
  for (int k = 0; k < dout; ++k) CHECK(one[k] == doctest::Approx(out[k]).epsilon(1e-5).scale(1.0));

  const bool d_inputs = probe.differentiable_inputs();
  const size_t np = probe.param_count();
  if (!d_inputs && np == 0) return;  // nothing differentiable: shapes and values only

  // Analytic gradients of L = sum c * out.
  nerds_test::Random random(11);
  const std::vector<float> c = random.floats(out.size(), -1.f, 1.f);
  std::vector<float> d_in(in.size(), 0.f), d_params(np, 0.f);
  probe.backward(in.data(), c.data(), n, d_inputs ? d_in.data() : nullptr, np ? d_params.data() : nullptr);
  const double tol = probe.gradient_tolerance();

  if (d_inputs) {
    double scale = 0.0;
    for (float g : d_in) scale = std::max(scale, static_cast<double>(std::fabs(g)));
    nerds_test::GradientCheck check;
    for (size_t i = 0; i < in.size(); ++i) {
      const float x0 = in[i];
      const double numeric = nerds_test::richardson_difference([&](float v) { in[i] = v; },
                                                               [&] { return weighted_sum(probe, in, n, c); }, x0,
                                                               probe.finite_difference_step());
      in[i] = x0;
      check.add(static_cast<int>(i), d_in[i], numeric, tol * std::max(scale, 1e-3), tol);
    }
    CAPTURE(check.worst_index);
    CAPTURE(check.worst_analytic);
    CAPTURE(check.worst_numeric);
    CHECK(check.worst <= 1.0);
  }
  if (np > 0) {
    // The parameters with the largest gradients and a few at random (most hash-table
    // entries are untouched by 6 inputs and have a zero gradient, which is checked too).
    std::vector<size_t> order(np);
    std::iota(order.begin(), order.end(), size_t{0});
    const size_t top = std::min<size_t>(np, 24);
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [&](size_t a, size_t b) { return std::fabs(d_params[a]) > std::fabs(d_params[b]); });
    std::vector<size_t> picked(order.begin(), order.begin() + top);
    for (int k = 0; k < 8; ++k) picked.push_back(static_cast<size_t>(random.index(static_cast<int>(std::min<size_t>(np, 1u << 30)))));
    double scale = 0.0;
    for (size_t i : picked) scale = std::max(scale, static_cast<double>(std::fabs(d_params[i])));
    REQUIRE(scale > 0.0);  // a trained function whose output does not depend on its parameters
    float* params = probe.params();
    REQUIRE(params != nullptr);
    nerds_test::GradientCheck check;
    for (size_t i : picked) {
      const float p0 = params[i];
      const float h = std::max(1e-3f, 1e-3f * std::fabs(p0));
      const double numeric = nerds_test::richardson_difference([&](float v) { params[i] = v; },
                                                               [&] { return weighted_sum(probe, in, n, c); }, p0, h);
      params[i] = p0;
      check.add(static_cast<int>(i), d_params[i], numeric, tol * scale, tol);
    }
    CAPTURE(check.worst_index);
    CAPTURE(check.worst_analytic);
    CAPTURE(check.worst_numeric);
    CHECK(check.worst <= 1.0);
  }
}

}  // namespace

TEST_CASE("module registry: every module's functions have their shapes, finite values and correct gradients") {
  const Dataset& data = tiny_dataset();
  int probed = 0;
  for (const TechniqueModule& m : technique_modules()) {
    CAPTURE(m.name);
    if (computes_nothing(m.name)) {
      CHECK((m.probes == nullptr));
      continue;
    }
    REQUIRE_MESSAGE((m.probes != nullptr), "module " << m.name << " describes no function to check");
    for (Variant& v : variants_of(m)) {
      CAPTURE(v.label);
      TrainConfig config;
      m.configure(v.params, data, config);  // every variant is a valid configuration
      ModuleProbes probes = m.probes(v.params, data);
      REQUIRE(!probes.empty());
      for (auto& probe : probes) {
        CAPTURE(probe->name());
        check_probe(*probe);
        ++probed;
      }
    }
  }
  CHECK(probed > 0);
}

TEST_CASE("module registry: every module's parameters round-trip through JSON") {
  for (const TechniqueModule& m : technique_modules()) {
    CAPTURE(m.name);
    ParamSet declared;
    m.declare(declared);
    REQUIRE(!declared.modules().empty());
    // Move every parameter the module declares off its default, within its range.
    ParamSet changed = default_method_params();
    for (const std::string& group : declared.modules()) {
      for (const ParamEntry& e : declared.entries_of(group)) {
        CAPTURE(e.path());
        const ParamValue& d = e.default_value;
        switch (e.spec.type) {
          case ParamType::Bool: changed.set(e.path(), !std::get<bool>(d)); break;
          case ParamType::Int: {
            const int64_t v = std::get<int64_t>(d);
            changed.set(e.path(), static_cast<double>(v + 1) <= e.spec.max ? v + 1 : v - 1);
            break;
          }
          case ParamType::Float: {
            const double v = std::get<double>(d);
            const double up = v + 0.125 * (std::isfinite(e.spec.max) ? e.spec.max - v : 1.0);
            changed.set(e.path(), up <= e.spec.max && up != v ? up : 0.5 * (v + e.spec.min));
            break;
          }
          case ParamType::Choice: changed.set(e.path(), e.spec.choices.back() == std::get<std::string>(d)
                                                            ? e.spec.choices.front()
                                                            : e.spec.choices.back());
            break;
          case ParamType::String: changed.set(e.path(), std::string("x") + std::get<std::string>(d)); break;
        }
        CHECK(changed.entry(e.path()).value != d);
      }
    }
    ParamSet restored = default_method_params();
    restored.apply_json(nlohmann::json::parse(changed.to_json().dump()), "round-trip.json");
    CHECK(restored.changed_since(changed).empty());
    // A key the module never declared is an error in a method file.
    nlohmann::json bad = restored.to_json();
    bad[declared.modules().front()]["no_such_key"] = 1;
    CHECK_THROWS_AS(restored.apply_json(bad, "bad.json"), InputError);
  }
}

TEST_CASE("module registry: every method file in scenes/methods loads and trains a few steps") {
  const fs::path methods = fs::path(NERDS_SOURCE_DIR) / "scenes" / "methods";
  REQUIRE(fs::is_directory(methods));
  int trained = 0;
  for (const auto& entry : fs::directory_iterator(methods)) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().string());
    std::string name;
    ParamSet params = method_params(entry.path().string(), {}, &name);
    CHECK(name == entry.path().stem().string());
    // Small enough for a test: a few thousand samples per step on a white background (the
    // random one makes a 20-step loss curve too noisy to judge); the rest as the file says.
    params.set("trainer.batch_samples", int64_t{4096});
    params.set("trainer.background", std::string("white"));
    if (params.get_string("encoding.kind") == "hash") params.set("encoding.log2_table_size", int64_t{14});
    // TensoRF's factors at 32 nodes per axis: each entry is seen by more of the test's few
    // samples, and its dense Adam updates a sixteenth of the entries.
    const bool tensorf = params.get_string("encoding.kind") == "tensorf";
    if (tensorf) params.set("encoding.tensorf_resolution_init", int64_t{32});
    // Plenoxels' grid at 32 nodes per axis (its dense start), for the same reason.
    const bool plenoxels = params.get_string("encoding.kind") == "plenoxels";
    if (plenoxels) params.set("encoding.plenoxels_resolution_init", int64_t{32});
    // DVGO's grids at 24 (coarse) and 32 (fine) nodes per axis: a test-sized memory; its coarse
    // stage starts at alpha 1e-2 (the fine stage's) instead of 1e-6, whose density needs about
    // 100 steps at the grids' rate of 0.1 to show at all.
    const bool dvgo = params.get_string("encoding.kind") == "dvgo";
    if (dvgo) {
      params.set("encoding.dvgo_coarse_resolution", int64_t{24});
      params.set("encoding.dvgo_fine_resolution", int64_t{32});
      params.set("encoding.dvgo_coarse_alpha_init", 1e-2);
    }
    EngineOptions o;
    o.data_dir = tiny_scene();
    o.method_name = name;
    Engine engine(o, params);
    // Judged on a rendered training view, which 20 steps must bring closer to its image.
    const float white[3] = {1.f, 1.f, 1.f};
    const Dataset& train = engine.train_set();
    const std::vector<float> gt = nerds_test::ground_truth_over(train, 0, white);
    auto view_psnr = [&] {
      const RenderBuffers img = engine.render(train.frames[0].pose, train.frames[0].intrinsics, white);
      for (float v : img.rgb) REQUIRE(std::isfinite(v));
      return psnr(img.rgb.data(), gt.data(), gt.size());
    };
    const double before = view_psnr();
    // NeRF-W's transient head first takes much of the scene into its transient field, which
    // renders do not show: its static field needs more steps to pass the same bar.
    // TensoRF starts from an empty field (softplus(raw - 10)) whose density must first grow.
    const int steps = params.get_bool("transient.enabled") || tensorf || dvgo ? 80 : 20;
    for (int i = 0; i < steps; ++i) {
      const StepStats s = engine.train_step();
      REQUIRE(std::isfinite(s.loss));
      REQUIRE(s.used_samples > 0);
    }
    const double after = view_psnr();
    CAPTURE(before);
    CAPTURE(after);
    CHECK(after > before + 1.0);
    ++trained;
  }
  CHECK(trained >= 3);  // instant_ngp, nerf, mipnerf
}
