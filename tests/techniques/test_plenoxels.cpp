// Plenoxels' sparse voxel grid (renderer/techniques/plenoxels/): trilinear (and nearest)
// interpolation of the sparse grid against a dense brute-force read, its gradient by finite
// differences, total variation against a brute-force sum (value and gradient), pruning keeps
// every voxel that holds density, the snapshot round trip of a pruned grid (index included),
// the SH colour head (field.color = sh, both colour activations) end to end, RMSProp and the learning-rate schedule.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "renderer/backend/training_backend.h"
#include "renderer/math/density_activation.h"
#include "renderer/math/grid_taps.h"
#include "renderer/math/rmsprop.h"
#include "renderer/math/rng.h"
#include "renderer/math/sh.h"
#include "renderer/math/sh_color.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/techniques/plenoxels/plenoxels_encoding.h"
#include "renderer/techniques/plenoxels/plenoxels_kernels.h"
#include "renderer/train/model_snapshot.h"
#include "renderer/train/optimizer.h"
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

PlenoxelsConfig small_config() {
  PlenoxelsConfig c;
  c.resolution_init = 6;
  c.resolution_final = 11;
  c.upsample_at = {0.5f};
  c.prune_density = 0.5f;
  c.prune_dilation = 0;
  c.tv_fraction = 1.f;
  c.tv_density = 0.3f;
  c.tv_sh = 0.2f;
  c.tv_early_only = false;
  return c;
}


// A sparse grid: random densities (about half of the nodes above the threshold 0.5) and
// coefficients, then pruned at its own resolution with no dilation, so that about half of the
// nodes hold no voxel.
PlenoxelsEncoding sparse_grid(PlenoxelsConfig c, int k, uint64_t seed) {
  PlenoxelsEncoding e(c, k);
  e.initialize(seed);
  Pcg32 rng(seed, 9);
  for (float& v : e.density()) v = rng.next_float() * 1.5f - 0.25f;
  for (float& v : e.sh()) v = rng.next_float() * 2.f - 1.f;
  e.resample(c.resolution_init);
  return e;
}

// A channel of the sparse grid as a dense array (missing nodes 0), x fastest.
std::vector<double> dense_channel(const PlenoxelsEncoding& e, int channel) {
  const int n = e.resolution(), S = 3 * e.sh_coefficients();
  std::vector<double> g(static_cast<size_t>(n) * n * n, 0.0);
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const int64_t l = e.link(i, j, k);
        if (l < 0) continue;
        g[(static_cast<size_t>(k) * n + j) * n + i] =
            channel == 0 ? e.density()[l] : e.sh()[l * S + channel - 1];
      }
  return g;
}

double trilinear_x_fastest(const std::vector<double>& g, int n, const float* p) {
  const GridTap t[3] = {grid_tap(p[0], n), grid_tap(p[1], n), grid_tap(p[2], n)};
  double s = 0.0;
  for (int c = 0; c < 8; ++c) {
    const int di = c & 1, dj = (c >> 1) & 1, dk = (c >> 2) & 1;
    const double w = (di ? t[0].w : 1.0 - t[0].w) * (dj ? t[1].w : 1.0 - t[1].w) * (dk ? t[2].w : 1.0 - t[2].w);
    s += w * g[(static_cast<size_t>(t[2].i + dk) * n + t[1].i + dj) * n + t[0].i + di];
  }
  return s;
}

}  // namespace

TEST_CASE("plenoxels: the sparse grid reads as the trilinear (or nearest) interpolation of its dense form") {
  const PlenoxelsEncoding e = sparse_grid(small_config(), 1, 3);
  const int n = e.resolution();
  size_t missing = 0;
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) missing += e.link(i, j, k) < 0 ? 1 : 0;
  CHECK(missing > 30);               // sparse: pruning dropped nodes
  CHECK(e.voxels() + missing == 216u);  // every other node is a voxel
  const std::vector<float> pos = random_points(40, 5);
  const std::vector<float> out = encode_points(e, pos);
  for (int c = 0; c < e.width(); ++c) {
    const std::vector<double> g = dense_channel(e, c);
    for (int i = 0; i < 40; ++i) CHECK(out[static_cast<size_t>(i) * e.width() + c] == doctest::Approx(trilinear_x_fastest(g, n, &pos[3 * i])));
  }
  PlenoxelsConfig nc = small_config();
  nc.interpolation = PlenoxelsInterpolation::Nearest;
  const PlenoxelsEncoding near = sparse_grid(nc, 1, 3);
  const std::vector<float> o2 = encode_points(near, pos);
  const std::vector<double> g = dense_channel(near, 0);
  for (int i = 0; i < 40; ++i) {
    int idx[3];
    for (int a = 0; a < 3; ++a) idx[a] = static_cast<int>(std::lround(pos[3 * i + a] * (n - 1)));
    CHECK(o2[static_cast<size_t>(i) * near.width()] ==
          doctest::Approx(g[(static_cast<size_t>(idx[2]) * n + idx[1]) * n + idx[0]]));
  }
}

TEST_CASE("plenoxels: the density's and the coefficients' gradients match finite differences") {
  PlenoxelsEncoding e = sparse_grid(small_config(), 1, 7);
  const int n = 30, E = e.width();
  const std::vector<float> pos = random_points(n, 8);
  Pcg32 rng(2, 2);
  const std::vector<float> d_enc = uniform_weights(static_cast<size_t>(n) * E, rng, -0.5f, 0.5f);
  const auto loss = [&] { return weighted_sum(d_enc, encode_points(e, pos)); };
  const std::vector<ParamTensor> tensors = e.param_tensors();
  const std::vector<GradientSlice> slices = e.gradient_slices();
  REQUIRE(slices.size() == 2u);
  for (size_t s = 0; s < slices.size(); ++s) {
    const ParamTensor& t = tensors[slices[s].tensor];
    CAPTURE(t.name);
    std::vector<float> grad(t.size(), 0.f);
    e.backward_slice(static_cast<int>(s), pos.data(), nullptr, d_enc.data(), n, grad.data());
    int nonzero = 0;
    for (size_t k = 0; k < t.size(); ++k) {
      CHECK(grad[k] == doctest::Approx(entry_difference(t, k, 1e-2f, loss)).epsilon(1e-2).scale(1e-3));
      nonzero += grad[k] != 0.f ? 1 : 0;
    }
    CHECK(nonzero > 5);
  }
}

TEST_CASE("plenoxels: total variation equals the brute-force sum over the cells, its gradient finite differences") {
  PlenoxelsEncoding e = sparse_grid(small_config(), 1, 11);
  const int n = e.resolution();
  const float scale = n / 256.f;
  for (int slice = 0; slice < 2; ++slice) {
    CAPTURE(slice);
    const int channels = slice == 0 ? 1 : 3;
    const float weight = slice == 0 ? 0.3f : 0.2f;
    double brute = 0.0;
    for (int c = 0; c < channels; ++c) {
      const std::vector<double> g = dense_channel(e, slice == 0 ? 0 : 1 + c);
      const auto at = [&](int i, int j, int k) { return g[(static_cast<size_t>(k) * n + j) * n + i]; };
      for (int k = 0; k + 1 < n; ++k)
        for (int j = 0; j + 1 < n; ++j)
          for (int i = 0; i + 1 < n; ++i) {
            if (e.link(i, j, k) < 0 && e.link(i + 1, j, k) < 0 && e.link(i, j + 1, k) < 0 && e.link(i, j, k + 1) < 0)
              continue;
            const double dx = at(i + 1, j, k) - at(i, j, k), dy = at(i, j + 1, k) - at(i, j, k),
                         dz = at(i, j, k + 1) - at(i, j, k);
            brute += std::sqrt(1e-9 + scale * scale * (dx * dx + dy * dy + dz * dz));
          }
    }
    CHECK(e.tv_loss(slice == 1) == doctest::Approx(weight * brute).epsilon(1e-4));
    const ParamTensor t = e.param_tensors()[slice];
    std::vector<float> grad(t.size(), 0.f);
    e.add_regularizer_gradient(slice, grad.data());
    // Central differences at two steps; where they disagree the step crossed the kink of a
    // cell whose differences are near zero (|D| under the root), and the entry is skipped.
    const auto fd = [&](size_t k, float h) {
      const float v0 = t.values[k];
      t.values[k] = v0 + h;
      const double up = e.tv_loss(slice == 1);
      t.values[k] = v0 - h;
      const double down = e.tv_loss(slice == 1);
      t.values[k] = v0;
      return (up - down) / (2.0 * h);
    };
    int checked = 0, entries = 0;
    for (size_t k = 0; k < t.size(); k += 3) {
      ++entries;
      const double a = fd(k, 1e-2f), b = fd(k, 5e-3f);
      if (std::fabs(a - b) > 0.02 * std::fabs(a) + 1e-5) continue;
      ++checked;
      CHECK(grad[k] == doctest::Approx(a).epsilon(2e-2).scale(1e-4));
    }
    CHECK(checked > entries * 3 / 4);
  }
  // A fraction of the cells: fewer of them, drawn anew after each step.
  PlenoxelsConfig c = small_config();
  c.tv_fraction = 0.2f;
  PlenoxelsEncoding f(c, 1);
  f.initialize(1);
  const std::vector<int64_t> a = f.tv_cells();
  CHECK(a.size() < 216u / 4);
  CHECK(!a.empty());
  f.follow_schedule(0.1f);
  CHECK(f.tv_cells() != a);
  // The code's default: TV until the first upsampling only.
  c.tv_early_only = true;
  c.tv_fraction = 1.f;
  PlenoxelsEncoding early = sparse_grid(c, 1, 11);
  CHECK(early.tv_loss(false) > 0.0);
  early.follow_schedule(0.6f);
  CHECK(early.tv_loss(false) == 0.0);
}

TEST_CASE("plenoxels: with tv_ray_voxels_only TV adds to the voxels the rays reached and to no other") {
  PlenoxelsConfig c = small_config();
  c.tv_fraction = 1.f;
  PlenoxelsEncoding full = sparse_grid(c, 1, 11);
  c.tv_ray_voxels_only = true;
  PlenoxelsEncoding masked = sparse_grid(c, 1, 11);
  for (int slice = 0; slice < 2; ++slice) {
    CAPTURE(slice);
    const size_t size = full.param_tensors()[slice].size();
    const size_t width = slice == 0 ? 1 : 3;
    std::vector<float> tv(size, 0.f);
    full.add_regularizer_gradient(slice, tv.data());
    // The rays' gradient: on every third voxel (all its channels), on its first channel alone
    // for every fifth (a voxel counts as reached when any of its channels holds a gradient).
    std::vector<float> rays(size, 0.f);
    for (size_t v = 0; v < size / width; ++v) {
      if (v % 3 == 0)
        for (size_t ch = 0; ch < width; ++ch) rays[v * width + ch] = 0.5f;
      else if (v % 5 == 0)
        rays[v * width] = -0.25f;
    }
    std::vector<float> got = rays;
    masked.add_regularizer_gradient(slice, got.data());
    int reached_with_tv = 0, left_alone = 0;
    for (size_t v = 0; v < size / width; ++v) {
      const bool reached = v % 3 == 0 || v % 5 == 0;
      for (size_t ch = 0; ch < width; ++ch) {
        const size_t k = v * width + ch;
        if (reached) {
          CHECK(got[k] == doctest::Approx(rays[k] + tv[k]).epsilon(1e-5).scale(1e-6));
          reached_with_tv += tv[k] != 0.f ? 1 : 0;
        } else {
          CHECK(got[k] == 0.f);
          left_alone += tv[k] != 0.f ? 1 : 0;  // where the code's TV would have moved it
        }
      }
    }
    CHECK(reached_with_tv > 3);
    CHECK(left_alone > 3);
  }
}

TEST_CASE("plenoxels: pruning keeps every voxel that holds density, and upsampling keeps the function there") {
  PlenoxelsConfig c = small_config();
  c.prune_dilation = 1;
  PlenoxelsEncoding e(c, 1);
  e.initialize(1);
  // Empty but for a few dense nodes.
  const int n = e.resolution();
  std::fill(e.density().begin(), e.density().end(), 0.f);
  const int dense[3][3] = {{1, 1, 1}, {4, 2, 3}, {2, 4, 4}};
  for (const auto& d : dense) e.density()[static_cast<size_t>((d[2] * n + d[1]) * n + d[0])] = 3.f;
  PlenoxelsEncoding before = e;
  e.resample(n);  // at its own resolution: a pure pruning
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        bool near = false;
        for (const auto& d : dense) near = near || (std::abs(i - d[0]) <= 1 && std::abs(j - d[1]) <= 1 && std::abs(k - d[2]) <= 1);
        CHECK((e.link(i, j, k) >= 0) == near);
      }
  CHECK(e.voxels() < 216u / 2);
  const std::vector<float> pos = random_points(50, 3);
  const std::vector<float> a = encode_points(before, pos), b = encode_points(e, pos);
  for (size_t i = 0; i < 50; ++i) CHECK(b[i * e.width()] == doctest::Approx(a[i * e.width()]).epsilon(1e-4));
  // Upsampled by the schedule: every new node whose density (read from the old grid) exceeds
  // the threshold is a voxel of the new grid, with that density.
  const PlenoxelsEncoding old = e;
  CHECK(e.follow_schedule(0.6f));
  CHECK(e.resolution() == 11);
  int dense_nodes = 0;
  for (int k = 0; k < 11; ++k)
    for (int j = 0; j < 11; ++j)
      for (int i = 0; i < 11; ++i) {
        const float p[3] = {i / 10.f, j / 10.f, k / 10.f};
        std::vector<float> o(old.width());
        old.encode(p, nullptr, 1, o.data(), old.width());
        if (o[0] <= c.prune_density) continue;
        ++dense_nodes;
        REQUIRE(e.link(i, j, k) >= 0);
        CHECK(e.density()[e.link(i, j, k)] == doctest::Approx(o[0]));
      }
  CHECK(dense_nodes >= 3);
  CHECK_FALSE(e.follow_schedule(0.9f));
}

TEST_CASE("plenoxels: a snapshot of a pruned, upsampled grid loads into a fresh encoding (index included)") {
  nerds_test::TempFolder dir("plenoxels_snapshot");
  const std::string path = dir.str() + "/snap.nerds";
  PlenoxelsEncoding trained = sparse_grid(small_config(), 4, 5);
  trained.resample(9);
  {
    const std::vector<ParamTensor> t = trained.param_tensors();
    CHECK(t[2].name == "encoding.links");
    nlohmann::json meta;
    std::vector<SnapshotSection> sections;
    put_tensors(t, zero_moments(t), meta, sections);
    write_snapshot_file(path, meta, sections);
  }
  PlenoxelsEncoding fresh(small_config(), 4);
  fresh.initialize(2);
  const SnapshotContents in = read_snapshot_file(path);
  fresh.adopt_shapes(snapshot_tensor_infos(in));
  CHECK(fresh.resolution() == 9);
  CHECK(fresh.voxels() == trained.voxels());
  std::vector<AdamMoments> moments;
  get_tensors(in, fresh.param_tensors(), moments);
  const std::vector<float> pos = random_points(30, 4);
  CHECK(encode_points(fresh, pos) == encode_points(trained, pos));
  // RMSProp keeps no first moment: the snapshot holds only v for the grid's tensors.
  const std::vector<ParamTensor> ft = fresh.param_tensors();
  for (size_t i = 0; i < ft.size(); ++i) {
    CAPTURE(ft[i].name);
    const bool rms = ft[i].group == ParamGroup::Rmsprop;
    CHECK((in.find(ft[i].name + ".adam_m") == nullptr) == rms);
    CHECK(in.find(ft[i].name + ".adam_v") != nullptr);
    CHECK(moments[i].m.size() == (rms ? 0u : ft[i].size()));
    CHECK(moments[i].v.size() == ft[i].size());
  }
  PlenoxelsEncoding other(small_config(), 4);
  other.initialize(1);
  CHECK_THROWS_WITH(get_tensors(in, other.param_tensors(), moments), doctest::Contains("encoding."));
}

TEST_CASE("SH colour head: colour = clamp(SH(d) . coefficients plus 0.5, 0) or sigmoid, gradients into the grid by finite differences") {
  // Both activations (field.sh_color_activation): the official code's clamp, the default, and
  // the sigmoid the engine used first.
  ShColorActivation act = ShColorActivation::Clamp;
  SUBCASE("clamp") { act = ShColorActivation::Clamp; }
  SUBCASE("sigmoid") { act = ShColorActivation::Sigmoid; }
  NetworkConfig config;
  config.sh_color_activation = act;
  config.encoding = "plenoxels";
  config.plenoxels = small_config();
  config.sh_degree = 2;
  config.density_source = kDensityFromEncoding;
  config.density_activation = DensityActivation::Relu;
  config.density_scale = 2.f;
  config.color_head = kShColorHead;
  NerfNetwork net(config);
  net.initialize(3);
  auto& grid = static_cast<PlenoxelsEncoding&>(net.encoding());
  Pcg32 rng(5, 5);
  for (float& v : grid.density()) v = rng.next_float() * 2.f;
  for (float& v : grid.sh()) v = rng.next_float() * 4.f - 2.f;  // wide enough that some colours clamp
  CHECK(net.color_mlp().weights().empty());
  for (const ParamTensor& t : net.param_tensors()) CHECK(t.name.rfind("encoding.", 0) == 0);
  const int n = 6;
  const std::vector<float> pos = random_points(n, 2);
  std::vector<float> dir(3 * n);
  for (int i = 0; i < n; ++i) {
    const float a = 0.7f * i;
    dir[3 * i] = std::cos(a) * 0.6f;
    dir[3 * i + 1] = std::sin(a) * 0.6f;
    dir[3 * i + 2] = 0.8f;
  }
  NetworkWorkspace ws;
  std::vector<float> sigma(n), rgb(3 * n);
  net.forward(pos.data(), dir.data(), n, ws, sigma.data(), rgb.data());
  const std::vector<float> enc = encode_points(grid, pos);
  int clamped = 0;  // channels whose s + 0.5 is negative: the clamp's flat side is reached too
  for (int i = 0; i < n; ++i) {
    const float* f = &enc[static_cast<size_t>(i) * grid.width()];
    CHECK(sigma[i] == doctest::Approx(2.f * std::max(f[0], 0.f)));
    float basis[4];
    sh_encode(dir[3 * i], dir[3 * i + 1], dir[3 * i + 2], 2, basis);
    for (int ch = 0; ch < 3; ++ch) {
      double s = 0.0;
      for (int k = 0; k < 4; ++k) s += f[1 + ch * 4 + k] * basis[k];
      clamped += s + 0.5 < 0.0 ? 1 : 0;
      const double want = act == ShColorActivation::Sigmoid ? 1.0 / (1.0 + std::exp(-s)) : std::max(s + 0.5, 0.0);
      CHECK(rgb[3 * i + ch] == doctest::Approx(want));
    }
  }
  CHECK(clamped > 0);
  CHECK(clamped < 3 * n);
  Pcg32 r2(4, 4);
  const std::vector<float> a = uniform_weights(n, r2, -0.5f, 0.5f), b = uniform_weights(3 * n, r2, -0.5f, 0.5f);
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
    int checked = 0;
    for (size_t k = 0; k < t.size() && checked < 40; ++k) {
      if (grad[k] == 0.f) continue;
      ++checked;
      CHECK(grad[k] == doctest::Approx(entry_difference(t, k, 1e-3f, loss)).epsilon(2e-2).scale(1e-3));
    }
    CHECK(checked > 5);
  }
  // The head refuses an encoding whose outputs are not 1 + 3 sh_degree^2.
  NetworkConfig bad = config;
  bad.sh_degree = 3;
  bad.encoding = "frequency";
  CHECK_THROWS_WITH(NerfNetwork{bad}, doctest::Contains("field.color"));
}

TEST_CASE("plenoxels: RMSProp as the code's (mean square from the first gradient), svox2's learning rates") {
  RmspropValues r = rmsprop_step_values(0.5f, 2.f, 1.f, 0.f);
  CHECK(r.v == doctest::Approx(4.f));
  CHECK(r.param == doctest::Approx(1.f - 0.5f * 2.f / 2.f));
  r = rmsprop_step_values(0.5f, 1.f, 0.f, 4.f);
  CHECK(r.v == doctest::Approx(0.95f * 4.f + 0.05f));
  // The density's rate: eased in from 1e-2 of it, then log-linear from 30 toward 0.05.
  CHECK(plenoxels_lr(0.f, 30.f, 0.05f, 250000.f, 15000.f, 1e-2f) == doctest::Approx(0.3f));
  CHECK(plenoxels_lr(15000.f, 30.f, 0.05f, 250000.f, 15000.f, 1e-2f) ==
        doctest::Approx(30.0 * std::pow(0.05 / 30.0, 15000.0 / 250000.0)));
  CHECK(plenoxels_lr(250000.f, 1e-2f, 5e-6f, 250000.f, 0.f, 1.f) == doctest::Approx(5e-6f));
  // The encoding sets each tensor's rate from the run's progress (trainer.lr = 1).
  PlenoxelsEncoding e(small_config(), 1);
  e.initialize(1);
  e.follow_schedule(0.25f);
  const std::vector<ParamTensor> t = e.param_tensors();
  CHECK(t[0].group == ParamGroup::Rmsprop);
  CHECK(t[1].lr_factor == doctest::Approx(plenoxels_lr(32000.f, 1e-2f, 5e-6f, 250000.f, 0.f, 1.f)));
  CHECK(t[2].lr_factor == 0.f);
  // The optimizer steps an Rmsprop tensor with v alone: zero_moments gives it no m.
  std::vector<AdamMoments> moments = zero_moments(t);
  CHECK(moments[0].m.empty());
  CHECK(moments[0].v.size() == t[0].size());
  std::vector<float> grad(t[0].size(), 0.f);
  grad[1] = 2.f;
  const float before0 = t[0].values[0], before1 = t[0].values[1];
  AdamStep step;
  step.lr = 0.5f;
  adam_update_range(t[0], moments[0], step, grad.data(), 0, t[0].size());
  CHECK(t[0].values[0] == before0);  // no gradient, no move
  CHECK(t[0].values[1] == doctest::Approx(rmsprop_step_values(0.5f, 2.f, before1, 0.f).param));
  CHECK(moments[0].v[1] == doctest::Approx(4.f));
  CHECK(grad[1] == 0.f);
}

TEST_CASE("plenoxels: the CUDA backend refuses the kind and the SH colour head") {
  TrainConfig config;
  config.network.encoding = "plenoxels";
  std::string why = cuda_backend_supports(config);
  CHECK_MESSAGE((why.find("encoding.kind=plenoxels") != std::string::npos || why.find("no CUDA backend") != std::string::npos), why);
  config.network.encoding = "hash";
  config.network.color_head = kShColorHead;
  why = cuda_backend_supports(config);
  CHECK_MESSAGE((why.find("field.color=sh") != std::string::npos || why.find("no CUDA backend") != std::string::npos), why);
}
