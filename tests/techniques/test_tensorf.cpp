// TensoRF's factorised grids (renderer/techniques/tensorf/): the factors' linear
// interpolation and its gradient by finite differences, VM and CP against a dense grid built
// from the same factors, the L1 term, the upsampling (the resized grid holds the same
// function), the snapshot round trip of resized tensors, and the explicit field path
// (field.density = encoding) end to end.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "renderer/backend/training_backend.h"
#include "renderer/math/density_activation.h"
#include "renderer/math/grid_taps.h"
#include "renderer/math/rng.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/techniques/tensorf/grid_resample.h"
#include "renderer/techniques/tensorf/tensorf_encoding.h"
#include "renderer/train/model_snapshot.h"
#include "renderer/train/train_config.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/grid_gradient_checks.h"
#include "tests/test_support/random_points.h"

using namespace nerds;

namespace {

using nerds_test::encode_points;
using nerds_test::entry_difference;
using nerds_test::network_weighted_sum;
using nerds_test::random_points;
using nerds_test::uniform_weights;
using nerds_test::weighted_sum;

TensorfConfig small_config(TensorfDecomposition d) {
  TensorfConfig c;
  c.decomposition = d;
  c.density_components = 3;
  c.appearance_components = 2;
  c.appearance_features = 4;
  c.resolution_init = 5;
  c.resolution_final = 9;
  c.upsample_at = {0.25f, 0.5f};
  c.l1_weight = 0.5f;
  c.init_scale = 0.5f;
  return c;
}


// Trilinear interpolation of a dense grid g[i][j][k] (n nodes per axis, x fastest last) at p.
double trilinear_z_fastest(const std::vector<double>& g, int n, const float* p) {
  const GridTap t[3] = {grid_tap(p[0], n), grid_tap(p[1], n), grid_tap(p[2], n)};
  double s = 0.0;
  for (int c = 0; c < 8; ++c) {
    const int di = c & 1, dj = (c >> 1) & 1, dk = (c >> 2) & 1;
    const double w = (di ? t[0].w : 1.0 - t[0].w) * (dj ? t[1].w : 1.0 - t[1].w) * (dk ? t[2].w : 1.0 - t[2].w);
    s += w * g[(static_cast<size_t>(t[0].i + di) * n + t[1].i + dj) * n + t[2].i + dk];
  }
  return s;
}

}  // namespace

TEST_CASE("grid taps: the end nodes sit on the ends (align_corners), positions outside are clamped") {
  CHECK(grid_tap(0.f, 5).i == 0);
  CHECK(grid_tap(0.f, 5).w == 0.f);
  CHECK(grid_tap(1.f, 5).i == 3);
  CHECK(grid_tap(1.f, 5).w == doctest::Approx(1.0));
  CHECK(grid_tap(0.5f, 5).i == 2);
  CHECK(grid_tap(0.5f, 5).w == doctest::Approx(0.0));
  CHECK(grid_tap(0.625f, 5).w == doctest::Approx(0.5));
  CHECK(grid_tap(-3.f, 5).i == 0);
  CHECK(grid_tap(7.f, 5).w == doctest::Approx(1.0));
}

TEST_CASE("grid resample: linear along one axis, exact on a linear function, the other axes untouched") {
  // [outer 2][n 3][inner 2]: value = 10 * outer + x * (inner + 1) at x = node / 2.
  std::vector<float> f;
  for (int o = 0; o < 2; ++o)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k) f.push_back(10.f * o + 0.5f * j * (k + 1));
  const std::vector<float> g = resample_axis(f, 2, 3, 5, 2);
  REQUIRE(g.size() == 2u * 5u * 2u);
  for (int o = 0; o < 2; ++o)
    for (int j = 0; j < 5; ++j)
      for (int k = 0; k < 2; ++k) CHECK(g[(o * 5 + j) * 2 + k] == doctest::Approx(10.f * o + 0.25f * j * (k + 1)));
  CHECK_THROWS_AS(resample_axis(f, 2, 3, 1, 2), std::invalid_argument);
  CHECK_THROWS_AS(resample_axis(f, 3, 3, 5, 2), std::invalid_argument);
}

TEST_CASE("tensorf: VM and CP equal the trilinear interpolation of the dense low-rank grid their factors make") {
  for (TensorfDecomposition d : {TensorfDecomposition::VM, TensorfDecomposition::CP}) {
    CAPTURE(static_cast<int>(d));
    TensorfEncoding e(small_config(d));
    e.initialize(7);
    const int n = e.resolution();
    const std::vector<ParamTensor> t = e.param_tensors();
    // The dense density grid the factors describe: VM sum_m sum_r M_r^m(plane nodes) v_r^m(line node)
    // with the pairs (XY, Z), (XZ, Y), (YZ, X); CP sum_r v_r^X v_r^Y v_r^Z.
    const int R = 3;
    std::vector<double> grid(static_cast<size_t>(n) * n * n, 0.0);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        for (int k = 0; k < n; ++k) {
          const int idx[3] = {i, j, k};
          double s = 0.0;
          if (d == TensorfDecomposition::VM) {
            const float* planes = t[0].values;
            const float* lines = t[1].values;
            const int pairs[3][3] = {{0, 1, 2}, {0, 2, 1}, {1, 2, 0}};  // plane u, plane v, line
            for (int m = 0; m < 3; ++m)
              for (int r = 0; r < R; ++r)
                s += static_cast<double>(
                         planes[((static_cast<size_t>(m) * n + idx[pairs[m][1]]) * n + idx[pairs[m][0]]) * R + r]) *
                     lines[(static_cast<size_t>(m) * n + idx[pairs[m][2]]) * R + r];
          } else {
            const float* lines = t[0].values;
            for (int r = 0; r < R; ++r)
              s += static_cast<double>(lines[(0 * n + i) * R + r]) * lines[(static_cast<size_t>(n) + j) * R + r] *
                   lines[(2 * static_cast<size_t>(n) + k) * R + r];
          }
          grid[(static_cast<size_t>(i) * n + j) * n + k] = s;
        }
    const std::vector<float> pos = random_points(50, 3);
    const std::vector<float> out = encode_points(e, pos);
    for (int s = 0; s < 50; ++s) {
      CAPTURE(s);
      CHECK(out[static_cast<size_t>(s) * e.width()] == doctest::Approx(trilinear_z_fastest(grid, n, pos.data() + 3 * s)).epsilon(1e-4));
    }
  }
}

TEST_CASE("tensorf: the factors' and the basis' gradients match finite differences") {
  for (TensorfDecomposition d : {TensorfDecomposition::VM, TensorfDecomposition::CP}) {
    CAPTURE(static_cast<int>(d));
    TensorfEncoding e(small_config(d));
    e.initialize(11);
    const int n = 6, W = e.width();
    const std::vector<float> pos = random_points(n, 5);
    Pcg32 rng(9, 2);
    const std::vector<float> c = uniform_weights(static_cast<size_t>(n) * W, rng, -1.f, 1.f);
    const auto loss = [&] { return weighted_sum(c, encode_points(e, pos)); };
    const std::vector<ParamTensor> tensors = e.param_tensors();
    const std::vector<GradientSlice> slices = e.gradient_slices();
    REQUIRE(slices.size() == tensors.size());
    for (size_t s = 0; s < slices.size(); ++s) {
      const ParamTensor& t = tensors[slices[s].tensor];
      CAPTURE(t.name);
      std::vector<float> grad(t.size(), 0.f);
      e.backward_slice(static_cast<int>(s), pos.data(), nullptr, c.data(), n, grad.data());
      int nonzero = 0;
      for (size_t k = 0; k < t.size(); ++k) {
        // The output is linear in each entry: the difference is exact up to rounding.
        CHECK(grad[k] == doctest::Approx(entry_difference(t, k, 1e-2f, loss)).epsilon(2e-3).scale(1e-3));
        nonzero += grad[k] != 0.f;
      }
      CHECK(nonzero > 0);
    }
  }
}

TEST_CASE("tensorf: the L1 term is the code's density_L1 (per axis mean |entry|), its gradient the subgradient") {
  for (TensorfDecomposition d : {TensorfDecomposition::VM, TensorfDecomposition::CP}) {
    CAPTURE(static_cast<int>(d));
    const TensorfConfig config = small_config(d);
    TensorfEncoding e(config);
    e.initialize(3);
    const std::vector<ParamTensor> tensors = e.param_tensors();
    double brute = 0.0;
    for (const ParamTensor& t : tensors) {
      if (t.name != "encoding.density_planes" && t.name != "encoding.density_lines") continue;
      const size_t per_axis = t.size() / 3;
      for (size_t k = 0; k < t.size(); ++k) brute += std::fabs(t.values[k]) / static_cast<double>(per_axis);
    }
    CHECK(e.l1_loss() == doctest::Approx(config.l1_weight * brute));
    const std::vector<GradientSlice> slices = e.gradient_slices();
    for (size_t s = 0; s < slices.size(); ++s) {
      const ParamTensor& t = tensors[slices[s].tensor];
      CAPTURE(t.name);
      std::vector<float> grad(t.size(), 0.f);
      e.add_regularizer_gradient(static_cast<int>(s), grad.data());
      const bool density = t.name == "encoding.density_planes" || t.name == "encoding.density_lines";
      for (size_t k = 0; k < t.size(); k += 7) {
        const float v0 = t.values[k];
        const float h = 1e-3f * std::fabs(v0);  // stays on one side of the kink at 0
        t.values[k] = v0 + h;
        const double up = e.l1_loss();
        t.values[k] = v0 - h;
        const double down = e.l1_loss();
        t.values[k] = v0;
        CHECK(grad[k] == doctest::Approx((up - down) / (2.0 * h)).epsilon(1e-2).scale(1e-6));
        if (!density) CHECK(grad[k] == 0.f);
      }
    }
  }
}

TEST_CASE("tensorf: upsampling keeps the function (to 2n-1 nodes exactly), follows the schedule, and is log-linear") {
  for (TensorfDecomposition d : {TensorfDecomposition::VM, TensorfDecomposition::CP}) {
    CAPTURE(static_cast<int>(d));
    TensorfEncoding e(small_config(d));
    e.initialize(5);
    const std::vector<float> pos = random_points(40, 8);
    const std::vector<float> before = encode_points(e, pos);
    // The new nodes halve the old cells: a piecewise (bi)linear function is unchanged.
    e.resize(2 * e.resolution() - 1);
    const std::vector<float> after = encode_points(e, pos);
    for (size_t k = 0; k < before.size(); ++k) CHECK(after[k] == doctest::Approx(before[k]).epsilon(1e-4).scale(1e-4));
    CHECK(e.param_tensors()[0].shape[1] == 9);
  }
  const TensorfConfig c = small_config(TensorfDecomposition::VM);
  TensorfEncoding e(c);
  CHECK(!e.follow_schedule(0.1f));
  CHECK(e.follow_schedule(0.3f));
  CHECK(e.resolution() == tensorf_resolution(c, 1));
  CHECK(!e.follow_schedule(0.4f));
  CHECK(e.follow_schedule(0.9f));
  CHECK(e.resolution() == 9);
  // The code's N_voxel_list for lego: 128^3 to 300^3 in 5 log-linear steps, per axis.
  TensorfConfig lego;
  const int expected[6] = {128, 152, 180, 213, 253, 300};
  for (int k = 0; k <= 5; ++k) CHECK(tensorf_resolution(lego, k) == expected[k]);
}

TEST_CASE("tensorf: a snapshot of upsampled grids loads into a fresh encoding (shapes adopted, values equal)") {
  nerds_test::TempFolder dir("tensorf_snapshot");
  const std::string path = dir.str() + "/snap.nerds";
  TensorfEncoding trained(small_config(TensorfDecomposition::VM));
  trained.initialize(1);
  trained.resize(8);
  {
    const std::vector<ParamTensor> t = trained.param_tensors();
    nlohmann::json meta;
    std::vector<SnapshotSection> sections;
    put_tensors(t, zero_moments(t), meta, sections);
    write_snapshot_file(path, meta, sections);
  }
  TensorfEncoding fresh(small_config(TensorfDecomposition::VM));
  const SnapshotContents in = read_snapshot_file(path);
  fresh.adopt_shapes(snapshot_tensor_infos(in));
  CHECK(fresh.resolution() == 8);
  std::vector<AdamMoments> moments;
  get_tensors(in, fresh.param_tensors(), moments);
  const std::vector<float> pos = random_points(20, 4);
  CHECK(encode_points(fresh, pos) == encode_points(trained, pos));
  // Without adopting the shapes the snapshot is refused, naming the tensor.
  TensorfEncoding other(small_config(TensorfDecomposition::VM));
  CHECK_THROWS_WITH(get_tensors(in, other.param_tensors(), moments), doctest::Contains("encoding.density_planes"));
}

TEST_CASE("explicit field: density from the encoding through softplus, gradients through the colour MLP and sigma") {
  NetworkConfig config;
  config.encoding = "tensorf";
  config.tensorf = small_config(TensorfDecomposition::VM);
  config.density_source = kDensityFromEncoding;
  config.density_activation = DensityActivation::Softplus;
  config.density_shift = -1.f;
  config.density_scale = 3.f;
  config.color_hidden = 16;
  NerfNetwork net(config);
  net.initialize(3);
  CHECK(net.config().geo_features == net.encoding_dim());
  CHECK(net.density_mlp().weights().empty());
  for (const ParamTensor& t : net.param_tensors()) CHECK(t.name.rfind("field.density", 0) != 0);
  const int n = 5;
  const std::vector<float> pos = random_points(n, 2);
  std::vector<float> dir(3 * n);
  for (int i = 0; i < n; ++i) {
    dir[3 * i] = 0.6f;
    dir[3 * i + 1] = 0.f;
    dir[3 * i + 2] = 0.8f;
  }
  NetworkWorkspace ws;
  std::vector<float> sigma(n), rgb(3 * n);
  net.forward(pos.data(), dir.data(), n, ws, sigma.data(), rgb.data());
  const std::vector<float> enc = encode_points(static_cast<const TensorfEncoding&>(net.encoding()), pos);
  for (int i = 0; i < n; ++i)
    CHECK(sigma[i] == doctest::Approx(density_activation(1, enc[static_cast<size_t>(i) * net.encoding_dim()], -1.f, 3.f)));
  // L = sum a sigma + sum b rgb: dL/d(an encoding tensor entry) against finite differences.
  Pcg32 rng(4, 4);
  const std::vector<float> a = uniform_weights(n, rng, -0.5f, 0.5f), b = uniform_weights(3 * n, rng, -0.5f, 0.5f);
  const auto loss = [&] { return network_weighted_sum(net, pos, dir, a, b); };
  NetworkGradients grads = net.make_gradients();
  grads.set_zero();
  net.backward(ws, n, a.data(), b.data(), grads);
  const std::vector<ParamTensor> tensors = net.param_tensors();
  const std::vector<GradientSlice> slices = net.encoding_gradient_slices();
  for (size_t s = 0; s < slices.size(); ++s) {
    const ParamTensor& t = tensors[slices[s].tensor];
    CAPTURE(t.name);
    std::vector<float> grad(t.size(), 0.f);
    net.encoding_backward_slice(static_cast<int>(s), pos.data(), nullptr, ws.d_enc.data(), n, grad.data());
    size_t biggest = 0;
    for (size_t k = 0; k < t.size(); ++k)
      if (std::fabs(grad[k]) > std::fabs(grad[biggest])) biggest = k;
    for (size_t k : {biggest, t.size() / 2, t.size() - 1})
      CHECK(grad[k] == doctest::Approx(entry_difference(t, k, 1e-2f, loss)).epsilon(3e-2).scale(1e-3));
    CHECK(grad[biggest] != 0.f);
  }
}

TEST_CASE("tensorf: the CUDA backend refuses the kind, the explicit density and a non-default activation") {
  TrainConfig config;
  config.network.encoding = "tensorf";
  const auto refused = [](const TrainConfig& c, const std::string& param) {
    const std::string why = cuda_backend_supports(c);
    // With the CUDA backend built, its reason names the parameter; without it, the build says so.
    CHECK_MESSAGE((why.find(param) != std::string::npos || why.find("no CUDA backend") != std::string::npos), why);
  };
  refused(config, "encoding.kind=tensorf");
  config.network.encoding = kHashEncoding;
  config.network.density_source = kDensityFromEncoding;
  refused(config, "field.density=encoding");
  config.network.density_source = kDensityFromMlp;
  config.network.density_activation = DensityActivation::Softplus;
  refused(config, "field.density_activation");
  config.network.density_activation = DensityActivation::TruncExp;
  config.network.density_scale = 25.f;
  refused(config, "field.density_scale");
}
