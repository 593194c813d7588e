// DVGO's voxel grids (renderer/techniques/dvgo/): the low-density shift and the activations'
// derivatives, the grids' trilinear interpolation (exact on linear functions) and the
// gradients of every activation placement by finite differences, the coarse stage's box
// holding every voxel above the threshold, progressive scaling keeping the function, the
// view-count learning rate in Adam, the coarse stage's own grid learning rate, the code's masks
// (near-camera voxels start empty, voxels few views see skipped, the fine stage's mask cache),
// the snapshot round trip and the CUDA refusal.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "renderer/backend/training_backend.h"
#include "renderer/math/rng.h"
#include "renderer/model/param_tensor.h"
#include "renderer/techniques/dvgo/dvgo_encoding.h"
#include "renderer/techniques/dvgo/dvgo_kernels.h"
#include "renderer/techniques/dvgo/near_camera_mask.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
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
using nerds_test::random_points;
using nerds_test::uniform_weights;
using nerds_test::weighted_sum;

DvgoConfig small_config(DvgoInterpolation mode) {
  DvgoConfig c;
  c.interpolation = mode;
  c.coarse_resolution = 6;
  c.fine_voxels = 8 * 8 * 8;
  c.fine_scale_at = {0.5f};
  c.coarse_fraction = 0.25f;
  c.features = 3;
  c.view_count_lr = false;
  return c;
}


// Node (x, y, z)'s position in network coordinates.
float node_pos(const DvgoEncoding& e, int axis, int i) {
  return e.box()[axis] + (e.box()[3 + axis] - e.box()[axis]) * static_cast<float>(i) / static_cast<float>(e.nodes(axis) - 1);
}

// Fills the grids with g(node position) (density) and f_c(node position) (features).
template <class G, class F>
void fill(DvgoEncoding& e, G g, F f) {
  std::vector<ParamTensor> t = e.param_tensors();
  const int C = e.config().features;
  for (int z = 0; z < e.nodes(2); ++z)
    for (int y = 0; y < e.nodes(1); ++y)
      for (int x = 0; x < e.nodes(0); ++x) {
        const size_t k = (static_cast<size_t>(z) * e.nodes(1) + y) * e.nodes(0) + x;
        const float p[3] = {node_pos(e, 0, x), node_pos(e, 1, y), node_pos(e, 2, z)};
        t[0].values[k] = g(p);
        for (int c = 0; c < C; ++c) t[1].values[k * C + c] = f(p, c);
      }
}

}  // namespace

TEST_CASE("dvgo: the shift gives alpha_init over one voxel, and the activations' derivatives match finite differences") {
  for (float a : {1e-6f, 1e-2f, 0.3f}) CHECK(dvgo_raw2alpha(dvgo_act_shift(a), 1.f) == doctest::Approx(a).epsilon(1e-4));
  for (float x : {-20.f, -4.f, -0.3f, 0.7f, 5.f}) {
    CAPTURE(x);
    const float h = 1e-3f;
    CHECK(dvgo_log_softplus_grad(x) ==
          doctest::Approx((dvgo_log_softplus(x + h) - dvgo_log_softplus(x - h)) / (2 * h)).epsilon(1e-2));
    CHECK(dvgo_raw2alpha_grad(x, 0.5f) ==
          doctest::Approx((dvgo_raw2alpha(x + h, 0.5f) - dvgo_raw2alpha(x - h, 0.5f)) / (2 * h)).epsilon(1e-2).scale(1e-7));
    // Raw2Alpha is Eq. 2 with sigma = softplus(x) over a step of `interval`.
    CHECK(dvgo_raw2alpha(x, 0.5f) == doctest::Approx(1.0 - std::exp(-0.5 * std::log1p(std::exp(double(x))))).epsilon(1e-4));
  }
  for (float a : {1e-5f, 0.2f, 0.9f}) {
    const float h = a * 1e-3f;
    CHECK(dvgo_log_sigma_of_alpha_grad(a) ==
          doctest::Approx((dvgo_log_sigma_of_alpha(a + h, 0.3f) - dvgo_log_sigma_of_alpha(a - h, 0.3f)) / (2 * h))
              .epsilon(1e-2));
    CHECK(std::exp(dvgo_log_sigma_of_alpha(a, 0.3f)) * 0.3f == doctest::Approx(-std::log1p(-double(a))).epsilon(1e-4));
  }
}

TEST_CASE("dvgo: trilinear interpolation is exact on linear functions, and post-activation activates the interpolated raw") {
  DvgoEncoding e(small_config(DvgoInterpolation::Post));
  fill(e, [](const float* p) { return 3.f * p[0] - 2.f * p[1] + p[2] - 1.f; },
       [](const float* p, int c) { return (c + 1.f) * p[0] + 0.5f * p[1] - c * p[2]; });
  const std::vector<float> pos = random_points(40, 3);
  const std::vector<float> out = encode_points(e, pos);
  for (int i = 0; i < 40; ++i) {
    const float* p = pos.data() + 3 * i;
    const float raw = 3.f * p[0] - 2.f * p[1] + p[2] - 1.f;
    CHECK(out[4 * i] == doctest::Approx(dvgo_log_softplus(raw + e.shift()) - std::log(e.base_voxel())).epsilon(1e-4));
    for (int c = 0; c < 3; ++c)
      CHECK(out[4 * i + 1 + c] == doctest::Approx((c + 1.f) * p[0] + 0.5f * p[1] - c * p[2]).epsilon(1e-4).scale(1e-4));
  }
  // Post- and pre-activation differ between nodes (the paper's Fig. 3: a sharp surface inside a cell).
  // Across a cell where the raw density rises steeply, interpolated alphas (pre) stay above the
  // alpha of the interpolated raw (post) everywhere between the nodes (convexity), equal at them.
  DvgoEncoding post(small_config(DvgoInterpolation::Post)), pre(small_config(DvgoInterpolation::Pre));
  for (DvgoEncoding* g : {&post, &pre}) fill(*g, [](const float* p) { return 40.f * p[0]; }, [](const float*, int) { return 0.f; });
  const std::vector<float> mid = {0.1f, 0.5f, 0.5f}, node = {0.2f, 0.5f, 0.5f};
  CHECK(encode_points(pre, mid)[0] > encode_points(post, mid)[0] + 1.f);
  CHECK(encode_points(pre, node)[0] == doctest::Approx(encode_points(post, node)[0]).epsilon(1e-3));
}

TEST_CASE("dvgo: the density and feature gradients match finite differences for post-, pre- and in-activation") {
  for (DvgoInterpolation mode : {DvgoInterpolation::Post, DvgoInterpolation::Pre, DvgoInterpolation::In}) {
    CAPTURE(static_cast<int>(mode));
    DvgoEncoding e(small_config(mode));
    Pcg32 rng(5, 3);
    fill(e, [&](const float*) { return 8.f * rng.next_float() - 2.f; }, [&](const float*, int) { return rng.next_float() - 0.5f; });
    const int n = 12, W = e.width();
    const std::vector<float> pos = random_points(n, 9);
    const std::vector<float> c = uniform_weights(static_cast<size_t>(n) * W, rng, -1.f, 1.f);
    const auto loss = [&] { return weighted_sum(c, encode_points(e, pos)); };
    const std::vector<ParamTensor> tensors = e.param_tensors();
    const std::vector<GradientSlice> slices = e.gradient_slices();
    REQUIRE(slices.size() == 2u);
    for (size_t s = 0; s < slices.size(); ++s) {
      const ParamTensor& t = tensors[slices[s].tensor];
      CAPTURE(t.name);
      std::vector<float> grad(t.size(), 0.f);
      e.backward_slice(static_cast<int>(s), pos.data(), nullptr, c.data(), n, grad.data());
      int checked = 0;
      for (size_t k = 0; k < t.size(); ++k) {
        if (grad[k] == 0.f) continue;  // no sample near this node
        // float outputs: tiny corner weights, hence the scale
        CHECK(grad[k] == doctest::Approx(entry_difference(t, k, 1e-2f, loss)).epsilon(2e-2).scale(1e-2));
        ++checked;
      }
      CHECK(checked > 8);
    }
  }
}

TEST_CASE("dvgo: the fine stage's box holds every coarse voxel above the threshold, its grids start empty") {
  DvgoEncoding e(small_config(DvgoInterpolation::Post));
  // Dense voxels in a blob off-centre, and one lone voxel elsewhere.
  fill(e, [](const float* p) {
        const float d = (p[0] - 0.6f) * (p[0] - 0.6f) + (p[1] - 0.4f) * (p[1] - 0.4f) + (p[2] - 0.5f) * (p[2] - 0.5f);
        return d < 0.05f ? 20.f : -5.f;
      }, [](const float*, int) { return 0.f; });
  e.param_tensors()[0].values[(static_cast<size_t>(1) * 6 + 4) * 6 + 1] = 20.f;  // node x 1, y 4, z 1
  std::vector<std::array<float, 3>> above;
  for (int z = 0; z < 6; ++z)
    for (int y = 0; y < 6; ++y)
      for (int x = 0; x < 6; ++x) {
        const float raw = e.param_tensors()[0].values[(static_cast<size_t>(z) * 6 + y) * 6 + x];
        if (dvgo_raw2alpha(raw + e.shift(), 1.f) > e.config().bbox_threshold)
          above.push_back({node_pos(e, 0, x), node_pos(e, 1, y), node_pos(e, 2, z)});
      }
  REQUIRE(above.size() > 2u);
  CHECK(!e.follow_schedule(0.2f));
  CHECK(e.follow_schedule(0.3f));  // the coarse share (0.25) is over
  REQUIRE(e.fine());
  bool strictly_smaller = false;
  for (const auto& p : above)
    for (int a = 0; a < 3; ++a) {
      CHECK(p[a] >= e.box()[a]);
      CHECK(p[a] <= e.box()[3 + a]);
    }
  for (int a = 0; a < 3; ++a) strictly_smaller |= e.box()[3 + a] - e.box()[a] < 0.99f;
  CHECK(strictly_smaller);
  // Fine level 0: fine_voxels / 2 voxels (one scaling left), all raw densities zero (alpha_init 1e-2).
  const double voxels = double(e.nodes(0)) * e.nodes(1) * e.nodes(2);
  CHECK(voxels <= 256.0 + 1e-9);
  CHECK(e.shift() == doctest::Approx(dvgo_act_shift(1e-2f)));
  const std::vector<ParamTensor> t = e.param_tensors();
  for (size_t k = 0; k < t[0].size(); ++k) REQUIRE(t[0].values[k] == 0.f);
  // Outside the box: empty space.
  const std::vector<float> out = encode_points(e, {e.box()[0] > 0.01f ? 0.f : 1.f, 0.5f, 0.5f});
  CHECK(out[0] < -20.f);
}

TEST_CASE("dvgo: progressive scaling doubles the voxels and keeps a linear function, and the schedule follows the run") {
  DvgoEncoding e(small_config(DvgoInterpolation::Post));
  CHECK(e.follow_schedule(0.3f));
  const int before[3] = {e.nodes(0), e.nodes(1), e.nodes(2)};
  fill(e, [](const float* p) { return p[0] + 2.f * p[1]; }, [](const float* p, int c) { return p[2] - c * p[0]; });
  const std::vector<float> pos = random_points(30, 4, 0.2f, 0.8f);
  const std::vector<float> a = encode_points(e, pos);
  CHECK(!e.follow_schedule(0.5f));  // 0.25 + 0.75 * 0.5 = 0.625
  CHECK(e.follow_schedule(0.7f));
  CHECK(double(e.nodes(0)) * e.nodes(1) * e.nodes(2) > double(before[0]) * before[1] * before[2]);
  const std::vector<float> b = encode_points(e, pos);
  for (size_t k = 0; k < a.size(); ++k) CHECK(b[k] == doctest::Approx(a[k]).epsilon(1e-3).scale(1e-3));
  CHECK(!e.follow_schedule(1.f));
}

TEST_CASE("dvgo: the view-count learning rate scales each entry's Adam step") {
  std::vector<float> values(6, 0.f), grad(6, 1.f);
  const std::vector<float> scale = {1.f, 0.5f, 0.f};
  ParamTensor t;
  t.name = "encoding.features";
  t.shape = {3, 2};
  t.group = ParamGroup::Sparse;
  t.values = values.data();
  t.entry_lr = scale.data();
  t.entry_lr_block = 2;
  AdamMoments m{std::vector<float>(6, 0.f), std::vector<float>(6, 0.f)};
  const AdamStep step = make_adam_step(0.1f, 0.9f, 0.99f, 1e-15f, 1, 0.f);
  adam_update_range(t, m, step, grad.data(), 0, 6);
  CHECK(values[0] == doctest::Approx(-0.1f));
  CHECK(values[1] == doctest::Approx(-0.1f));
  CHECK(values[2] == doctest::Approx(-0.05f));
  CHECK(values[4] == 0.f);
  CHECK(grad[0] == 0.f);
}

TEST_CASE("dvgo: coarse voxels no ray reached go on with their momentum, fine voxels stay (the code's skip_zero_grad_fields)") {
  DvgoEncoding e(small_config(DvgoInterpolation::Post));
  // One Adam step with a gradient on every entry, then one with none: a coarse entry moves on
  // (its first moment), a fine entry stays where the first step left it.
  const auto second_step_moves = [](const ParamTensor& t) {
    const size_t n = t.size();
    AdamMoments m{std::vector<float>(n, 0.f), std::vector<float>(n, 0.f)};
    std::vector<float> grad(n, 1.f);
    adam_update_range(t, m, make_adam_step(0.1f, 0.9f, 0.99f, 1e-15f, 1, 0.f), grad.data(), 0, n);
    const float after_first = t.values[0];
    adam_update_range(t, m, make_adam_step(0.1f, 0.9f, 0.99f, 1e-15f, 2, 0.f), grad.data(), 0, n);
    return t.values[0] - after_first;
  };
  std::vector<ParamTensor> coarse = e.param_tensors();
  CHECK(coarse[0].group == ParamGroup::Dense);
  CHECK(second_step_moves(coarse[0]) < -0.01f);
  CHECK(second_step_moves(coarse[1]) < -0.01f);
  REQUIRE(e.follow_schedule(0.3f));
  std::vector<ParamTensor> fine = e.param_tensors();
  CHECK(fine[0].group == ParamGroup::Sparse);
  CHECK(second_step_moves(fine[0]) == 0.f);
  CHECK(second_step_moves(fine[1]) == 0.f);
  // The box and the stage never move.
  CHECK(fine[2].lr_factor == 0.f);
  CHECK(fine[3].lr_factor == 0.f);
}

TEST_CASE("dvgo: the coarse grids take dvgo_coarse_lr_factor, the fine grids dvgo_lr_factor, 0 follows dvgo_lr_factor") {
  DvgoConfig c = small_config(DvgoInterpolation::Post);
  c.lr_factor = 1000.f;
  c.coarse_lr_factor = 100.f;
  DvgoEncoding e(c);
  std::vector<ParamTensor> coarse = e.param_tensors();
  CHECK(coarse[0].lr_factor == 100.f);  // density
  CHECK(coarse[1].lr_factor == 100.f);  // features
  REQUIRE(e.follow_schedule(0.3f));
  std::vector<ParamTensor> fine = e.param_tensors();
  CHECK(fine[0].lr_factor == 1000.f);
  CHECK(fine[1].lr_factor == 1000.f);
  // 0 (the default): both stages at dvgo_lr_factor, as the code's shared lrate_density / lrate_k0.
  c.coarse_lr_factor = 0.f;
  DvgoEncoding same(c);
  CHECK(same.param_tensors()[0].lr_factor == 1000.f);
  CHECK(same.param_tensors()[1].lr_factor == 1000.f);
  CHECK(DvgoConfig{}.coarse_lr_factor == 0.f);
  // The kind's parameter: declared 0, read into the configuration.
  ParamSet p;
  const EncodingKind kind = encoding_kind("dvgo");
  kind.declare(p);
  CHECK(p.get_float("encoding.dvgo_coarse_lr_factor") == 0.0);
  p.set_from_string("encoding.dvgo_coarse_lr_factor=100");
  NetworkConfig nc;
  kind.configure(p, Dataset{}, nc);
  CHECK(nc.dvgo.coarse_lr_factor == 100.f);
  CHECK(nc.dvgo.lr_factor == 100.f);
}

TEST_CASE("dvgo: fine_from_coarse starts the fine grids from zero when no coarse voxel passed the threshold") {
  DvgoConfig c = small_config(DvgoInterpolation::Post);
  c.fine_from_coarse = true;
  DvgoEncoding e(c);
  fill(e, [](const float*) { return 1.f; }, [](const float*, int ch) { return 0.5f + ch; });  // alpha ~3e-6 < 1e-3
  REQUIRE(e.follow_schedule(0.3f));
  const std::vector<ParamTensor> t = e.param_tensors();
  for (size_t k = 0; k < t[0].size(); ++k) REQUIRE(t[0].values[k] == 0.f);
  for (size_t k = 0; k < t[1].size(); ++k) REQUIRE(t[1].values[k] == 0.f);
  CHECK(e.box()[3] - e.box()[0] == doctest::Approx(1.f));
}

TEST_CASE("dvgo: a snapshot of the fine stage loads into a fresh encoding (shapes, box and stage)") {
  nerds_test::TempFolder dir("dvgo_snapshot");
  const std::string path = dir.str() + "/snap.nerds";
  DvgoEncoding trained(small_config(DvgoInterpolation::Post));
  Pcg32 rng(2, 2);
  fill(trained, [&](const float* p) { return p[0] < 0.5f ? 10.f : -10.f; }, [&](const float*, int) { return 0.f; });
  trained.follow_schedule(0.9f);
  fill(trained, [&](const float*) { return rng.next_float(); }, [&](const float*, int) { return rng.next_float(); });
  {
    const std::vector<ParamTensor> t = trained.param_tensors();
    nlohmann::json meta;
    std::vector<SnapshotSection> sections;
    put_tensors(t, zero_moments(t), meta, sections);
    write_snapshot_file(path, meta, sections);
  }
  DvgoEncoding fresh(small_config(DvgoInterpolation::Post));
  const SnapshotContents in = read_snapshot_file(path);
  fresh.adopt_shapes(snapshot_tensor_infos(in));
  std::vector<AdamMoments> moments;
  get_tensors(in, fresh.param_tensors(), moments);
  CHECK(fresh.fine());
  for (int a = 0; a < 3; ++a) CHECK(fresh.nodes(a) == trained.nodes(a));
  for (int k = 0; k < 6; ++k) CHECK(fresh.box()[k] == trained.box()[k]);
  const std::vector<float> pos = random_points(20, 4);
  CHECK(encode_points(fresh, pos) == encode_points(trained, pos));
}

TEST_CASE("dvgo: a near-camera floater stays out of the fine box, the coarse voxels near a camera start empty") {
  // One camera at the corner (1, 1, 1) of the scene box [0, 1]^3, near 0.25: the nodes within
  // 0.25 of it are masked (the code's maskout_near_cam_vox).
  Dataset data;
  data.frames.resize(1);
  data.frames[0].pose.m[0][3] = data.frames[0].pose.m[1][3] = data.frames[0].pose.m[2][3] = 1.f;
  DvgoConfig c = small_config(DvgoInterpolation::Post);
  c.coarse_near_cam = dvgo_near_camera_nodes(data, c.coarse_resolution, 1.f, 0.25f);
  int masked = 0;
  for (int z = 0; z < 6; ++z)
    for (int y = 0; y < 6; ++y)
      for (int x = 0; x < 6; ++x) {
        const float d2 = (1.f - x / 5.f) * (1.f - x / 5.f) + (1.f - y / 5.f) * (1.f - y / 5.f) + (1.f - z / 5.f) * (1.f - z / 5.f);
        const float m = c.coarse_near_cam[(static_cast<size_t>(z) * 6 + y) * 6 + x];
        CHECK(m == (d2 <= 0.25f * 0.25f ? 1.f : 0.f));
        masked += m > 0.f ? 1 : 0;
      }
  CHECK(masked == 4);  // the corner node and its 3 neighbours at 0.2
  // The same "training" on a grid with and without the mask: every voxel rises by 5 (alpha
  // ~1.5e-4, below the threshold 1e-3), a blob at (0, 0, 0) .. (0.2, 0.2, 0.2) and a floater at
  // the camera's corner node by 30 more. With the mask the floater's voxel stays near -65, so the
  // fine box holds the blob only; without it the fine box reaches the corner.
  const auto train = [](DvgoEncoding& enc) {
    std::vector<ParamTensor> t = enc.param_tensors();
    for (size_t k = 0; k < t[0].size(); ++k) t[0].values[k] += 5.f;
    for (size_t k : {size_t{0}, size_t{36 + 6 + 1}, t[0].size() - 1}) t[0].values[k] += 30.f;
  };
  DvgoEncoding e(c);
  CHECK(e.param_tensors()[0].values[e.param_tensors()[0].size() - 1] == -100.f);
  train(e);
  REQUIRE(e.follow_schedule(0.3f));
  for (int a = 0; a < 3; ++a) CHECK(e.box()[3 + a] < 0.5f);
  DvgoConfig off = c;
  off.coarse_near_cam.clear();
  DvgoEncoding f(off);
  train(f);
  REQUIRE(f.follow_schedule(0.3f));
  for (int a = 0; a < 3; ++a) CHECK(f.box()[3 + a] == doctest::Approx(1.f));
}

TEST_CASE("dvgo: the coarse stage skips voxels few views see, the fine stage samples only near the coarse geometry") {
  DvgoConfig c = small_config(DvgoInterpolation::Post);
  c.coarse_seen.assign(6 * 6 * 6, 1.f);
  c.coarse_seen[(static_cast<size_t>(2) * 6 + 2) * 6 + 2] = 0.f;  // node (2, 2, 2) at 0.4
  DvgoEncoding e(c);
  fill(e, [](const float*) { return 5.f; }, [](const float*, int) { return 1.f; });
  const std::vector<float> at = encode_points(e, {0.4f, 0.4f, 0.4f, 0.6f, 0.6f, 0.6f});
  CHECK(at[0] < -20.f);  // skipped: empty, no features
  CHECK(at[1] == 0.f);
  CHECK(at[e.width()] > -20.f);
  CHECK(at[e.width() + 1] == doctest::Approx(1.f));
  // Two blobs at opposite corners: the fine box spans both, the free space between them is
  // known free (the mask cache) at the code's threshold and sampled at threshold 0.
  for (float thres : {1e-3f, 0.f}) {
    DvgoConfig fc = small_config(DvgoInterpolation::Post);
    fc.mask_cache_threshold = thres;
    DvgoEncoding g(fc);
    fill(g, [](const float* p) { return (p[0] + p[1] + p[2] < 0.3f || p[0] + p[1] + p[2] > 2.7f) ? 30.f : -10.f; },
         [](const float*, int) { return 0.f; });
    REQUIRE(g.follow_schedule(0.3f));
    CHECK(g.box()[0] == doctest::Approx(0.f));
    CHECK(g.box()[3] == doctest::Approx(1.f));
    const std::vector<float> mid = encode_points(g, {0.5f, 0.5f, 0.5f, 0.02f, 0.02f, 0.02f});
    if (thres > 0.f) CHECK(mid[0] < -20.f);
    else CHECK(mid[0] > -20.f);
    CHECK(mid[g.width()] > -20.f);  // next to a blob: sampled
  }
}

TEST_CASE("dvgo: the CUDA backend refuses the kind") {
  TrainConfig config;
  config.network.encoding = "dvgo";
  const std::string why = cuda_backend_supports(config);
  CHECK_MESSAGE((why.find("encoding.kind=dvgo") != std::string::npos || why.find("no CUDA backend") != std::string::npos), why);
}
