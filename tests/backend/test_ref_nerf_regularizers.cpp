// Ref-NeRF's normal regularizers R_o and R_p (renderer/techniques/fields/ref_nerf_normals.h) by
// finite differences: their gradient in each sample's density (through the weights), in the
// predicted normals (what the colour head's backward receives) and in the density network's
// weights (through the central-difference density normals); and the head inside NerfNetwork:
// the predicted normals are unit vectors and the backward of a Ref-NeRF network is finite.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "renderer/math/compositing.h"
#include "renderer/math/ref_nerf.h"
#include "renderer/techniques/fields/ref_nerf_normals.h"
#include "tests/test_support/numeric.h"

using namespace nerds;

namespace {

NetworkConfig ref_config() {
  NetworkConfig c;
  c.grid.levels = 4;
  c.grid.log2_table_size = 12;
  c.grid.max_resolution = 32;
  c.density_hidden = 16;
  c.color_hidden = 16;
  c.geo_features = 8;
  c.color_head = kRefNerfColorHead;
  c.ide_degree = 3;
  return c;
}

struct Rays {
  std::vector<float> pos, dir, sigma, dt;
  std::vector<int> begin, count;
};

// Two rays of 6 samples each through the box, with densities that give every sample weight.
Rays two_rays() {
  Rays r;
  const float dirs[2][3] = {{0.6f, 0.0f, -0.8f}, {-0.48f, 0.6f, -0.64f}};
  const float starts[2][3] = {{0.25f, 0.45f, 0.75f}, {0.7f, 0.3f, 0.72f}};
  for (int ray = 0; ray < 2; ++ray) {
    r.begin.push_back(ray * 6);
    r.count.push_back(6);
    for (int i = 0; i < 6; ++i) {
      for (int a = 0; a < 3; ++a) {
        r.pos.push_back(starts[ray][a] + 0.05f * i * dirs[ray][a]);
        r.dir.push_back(dirs[ray][a]);
      }
      r.sigma.push_back(3.f + 2.f * i + ray);
      r.dt.push_back(0.05f);
    }
  }
  return r;
}

// The grid's table scaled from its initial +-1e-4 to +-0.1, so the density's gradients lie well
// above the normalisation floor (ref_nerf.h) and the normals are unit vectors.
void scale_grid(NerfNetwork& net) {
  std::vector<ParamTensor> tensors = net.param_tensors();
  const int grid = find_tensor(tensors, "encoding.grid");
  REQUIRE(grid >= 0);
  for (size_t k = 0; k < tensors[grid].size(); ++k) tensors[grid].values[k] *= 1000.f;
}


// A Ref-NeRF network (seed 5, its grid scaled) whose forward pass has run on the two rays'
// 12 samples: ws holds the predicted normals and the head's buffers the regularizers read.
struct ForwardedRefNet {
  static constexpr int kSamples = 12;
  NerfNetwork net{ref_config()};
  Rays r = two_rays();
  NetworkWorkspace ws;
  ForwardedRefNet() {
    net.initialize(5);
    scale_grid(net);
    std::vector<float> sigma(kSamples), rgb(3 * kSamples);
    net.forward(r.pos.data(), r.dir.data(), kSamples, ws, sigma.data(), rgb.data());
  }
};

// The weights of the two rays' samples as the regularizers composite them.
std::vector<float> sample_weights(const Rays& r) {
  std::vector<float> w(r.sigma.size());
  for (size_t ray = 0; ray < r.begin.size(); ++ray) {
    float T = 1.f;
    for (int i = r.begin[ray]; i < r.begin[ray] + r.count[ray]; ++i)
      w[i] = composite_step(r.sigma[i], r.dt[i], &T).weight;
  }
  return w;
}

// R_o and R_p's gradients by differences, with R_p on the samples whose weight reaches
// min_weight (0: all).
void check_regularizer_gradients(float min_weight) {
  ForwardedRefNet f;
  NerfNetwork& net = f.net;
  Rays& r = f.r;
  NetworkWorkspace& ws = f.ws;
  const int m = ForwardedRefNet::kSamples;
  for (int i = 0; i < m; ++i) {
    const Vec3 n = make_vec3(ws.ref.normal[3 * i], ws.ref.normal[3 * i + 1], ws.ref.normal[3 * i + 2]);
    REQUIRE(length(n) == doctest::Approx(1.f).epsilon(1e-4));
  }
  // Make every predicted normal face partly away from its ray so R_o is active on some.
  for (int i = 0; i < m; i += 2)
    for (int a = 0; a < 3; ++a) ws.ref.normal[3 * i + a] = r.dir[3 * i + a];
  RefNerfLossWeights weights;
  weights.orientation = 0.1f;
  weights.predicted_normal = 0.5f;  // larger than the paper's 3e-4 so its differences are well above rounding
  weights.normal_step = 0.02f;
  weights.normal_min_weight = min_weight;

  DensityNormalScratch scratch;
  std::vector<float> d_sigma(m, 0.f);
  NetworkGradients grads = net.make_gradients();
  grads.set_zero();
  const double loss0 = ref_nerf_regularizers(net, ws, r.pos.data(), r.dir.data(), r.sigma.data(), r.dt.data(),
                                             r.begin.data(), r.count.data(), 2, m, weights, 1.f, scratch,
                                             d_sigma.data(), grads);
  CHECK(loss0 > 0.0);
  const std::vector<float> d_normal(ws.ref.d_normal.begin(), ws.ref.d_normal.begin() + 3 * m);
  const auto loss = [&] {
    DensityNormalScratch s;
    std::vector<float> ds(m, 0.f);
    NetworkGradients g = net.make_gradients();
    g.set_zero();
    return ref_nerf_regularizers(net, ws, r.pos.data(), r.dir.data(), r.sigma.data(), r.dt.data(), r.begin.data(),
                                 r.count.data(), 2, m, weights, 1.f, s, ds.data(), g);
  };

  nerds_test::GradientCheck by_sigma, by_normal, by_weight;
  for (int i = 0; i < m; ++i)
    by_sigma.add(i, d_sigma[i],
                 nerds_test::richardson_difference([&](float v) { r.sigma[i] = v; }, loss, r.sigma[i], 1e-2f), 1e-5,
                 1e-2);
  for (int k = 0; k < 3 * m; ++k)
    by_normal.add(k, d_normal[k],
                  nerds_test::richardson_difference([&](float v) { ws.ref.normal[k] = v; }, loss, ws.ref.normal[k],
                                                    1e-3f),
                  1e-5, 1e-2);
  // The density MLP's weights reach the loss only through the density normals (R_p).
  Eigen::MatrixXf& w0 = net.density_mlp().weights()[0];
  for (int k = 0; k < 40; ++k) {
    const int idx = (k * 37) % static_cast<int>(w0.size());
    by_weight.add(idx, grads.density[0].data()[idx],
                  nerds_test::richardson_difference([&](float v) { w0.data()[idx] = v; }, loss, w0.data()[idx], 1e-3f),
                  1e-5, 5e-2);
  }
  CAPTURE(by_sigma.worst_analytic);
  CAPTURE(by_sigma.worst_numeric);
  CHECK(by_sigma.worst <= 1.0);
  CAPTURE(by_normal.worst_analytic);
  CAPTURE(by_normal.worst_numeric);
  CHECK(by_normal.worst <= 1.0);
  CAPTURE(by_weight.worst_analytic);
  CAPTURE(by_weight.worst_numeric);
  CHECK(by_weight.worst <= 1.0);
  double grad_norm = 0.0;
  for (Eigen::Index k = 0; k < grads.density[0].size(); ++k) grad_norm += std::fabs(grads.density[0].data()[k]);
  CHECK(grad_norm > 0.0);
}

}  // namespace

TEST_CASE("Ref-NeRF regularizers: gradients in densities, predicted normals and density weights match differences") {
  check_regularizer_gradients(0.f);
}

TEST_CASE("Ref-NeRF regularizers: R_p on the samples above field.ref_normal_min_weight, gradients by differences") {
  // The two rays' weights lie between 0.06 and 0.22 (sample_weights); 0.15 keeps some of each
  // ray's samples and drops the others, and no weight is within the differences' reach of it.
  const Rays r = two_rays();
  const std::vector<float> w = sample_weights(r);
  int above = 0;
  for (float x : w) {
    CHECK(std::fabs(x - 0.15f) > 5e-3f);
    above += x >= 0.15f;
  }
  REQUIRE(above > 1);
  REQUIRE(above < static_cast<int>(w.size()) - 1);
  check_regularizer_gradients(0.15f);
}

TEST_CASE("Ref-NeRF regularizers: with a minimum weight, R_p's value is its sum over the kept samples") {
  ForwardedRefNet f;
  NerfNetwork& net = f.net;
  Rays& r = f.r;
  NetworkWorkspace& ws = f.ws;
  const int m = ForwardedRefNet::kSamples;
  const std::vector<float> w = sample_weights(r);
  RefNerfLossWeights weights;
  weights.orientation = 0.f;
  weights.predicted_normal = 1.f;
  weights.normal_step = 0.02f;
  weights.normal_min_weight = 0.15f;
  DensityNormalScratch scratch, plain;
  std::vector<float> d_sigma(m, 0.f), n(3 * m);
  NetworkGradients grads = net.make_gradients();
  grads.set_zero();
  const double loss = ref_nerf_regularizers(net, ws, r.pos.data(), r.dir.data(), r.sigma.data(), r.dt.data(),
                                            r.begin.data(), r.count.data(), 2, m, weights, 1.f, scratch,
                                            d_sigma.data(), grads);
  density_normals(net, r.pos.data(), m, weights.normal_step, plain, n.data());
  double expected = 0.0;
  std::vector<int> kept;
  for (int i = 0; i < m; ++i) {
    if (w[i] < weights.normal_min_weight) continue;
    kept.push_back(i);
    const Vec3 ni = make_vec3(n[3 * i], n[3 * i + 1], n[3 * i + 2]);
    const Vec3 np = make_vec3(ws.ref.normal[3 * i], ws.ref.normal[3 * i + 1], ws.ref.normal[3 * i + 2]);
    expected += w[i] * predicted_normal_term(ni, np);
  }
  CHECK(scratch.selected == kept);
  CHECK(scratch.pos.size() == 18 * kept.size());  // the difference points of the kept samples only
  CHECK(loss == doctest::Approx(expected).epsilon(1e-5));
  for (int i = 0; i < m; ++i)  // a dropped sample's predicted normal gets no gradient
    if (w[i] < weights.normal_min_weight)
      for (int a = 0; a < 3; ++a) CHECK(ws.ref.d_normal[3 * i + a] == 0.f);
}

TEST_CASE("Ref-NeRF network: the head's tensor is listed and its gradient is filled by backward") {
  NerfNetwork net(ref_config());
  net.initialize(9);
  const std::vector<ParamTensor> tensors = net.param_tensors();
  const int head = find_tensor(tensors, kRefNerfHeadTensor);
  REQUIRE(head >= 0);
  CHECK(tensors[head].shape == std::vector<int64_t>{kRefHeadOutputs, 8 + 1});
  Rays r = two_rays();
  const int m = 12;
  NetworkWorkspace ws;
  std::vector<float> sigma(m), rgb(3 * m), d_sigma(m, 0.1f), d_rgb(3 * m, 0.2f);
  net.forward(r.pos.data(), r.dir.data(), m, ws, sigma.data(), rgb.data());
  for (float c : rgb) CHECK((c >= 0.f && c <= 1.f));
  std::fill(ws.ref.d_normal.begin(), ws.ref.d_normal.end(), 0.f);
  NetworkGradients grads = net.make_gradients();
  grads.set_zero();
  net.backward(ws, m, d_sigma.data(), d_rgb.data(), grads);
  std::vector<float*> g = net.gradients(grads);
  REQUIRE(g.size() > static_cast<size_t>(head));
  double sum = 0.0;
  for (size_t k = 0; k < tensors[head].size(); ++k) {
    REQUIRE(std::isfinite(g[head][k]));
    sum += std::fabs(g[head][k]);
  }
  CHECK(sum > 0.0);
}

TEST_CASE("Ref-NeRF network: with the colour's path to n' cut (ref_normal_detach_steps), only R_o and R_p train n'") {
  NerfNetwork net(ref_config());
  net.initialize(9);
  const std::vector<ParamTensor> tensors = net.param_tensors();
  const int head = find_tensor(tensors, kRefNerfHeadTensor);
  REQUIRE(head >= 0);
  Rays r = two_rays();
  const int m = 12;
  // The summed |gradient| of the head's rows [r0, r1) (column-major, kRefHeadOutputs rows).
  const auto rows_sum = [&](bool color_to_normal, int r0, int r1) {
    NetworkWorkspace ws;
    std::vector<float> sigma(m), rgb(3 * m), d_sigma(m, 0.1f), d_rgb(3 * m, 0.2f);
    net.forward(r.pos.data(), r.dir.data(), m, ws, sigma.data(), rgb.data());
    std::fill(ws.ref.d_normal.begin(), ws.ref.d_normal.end(), 0.f);  // no regularizers
    ws.ref.color_to_normal = color_to_normal;
    NetworkGradients grads = net.make_gradients();
    grads.set_zero();
    net.backward(ws, m, d_sigma.data(), d_rgb.data(), grads);
    const float* g = net.gradients(grads)[head];
    double sum = 0.0;
    for (size_t k = 0; k < tensors[head].size(); ++k)
      if (static_cast<int>(k % kRefHeadOutputs) >= r0 && static_cast<int>(k % kRefHeadOutputs) < r1) sum += std::fabs(g[k]);
    return sum;
  };
  CHECK(rows_sum(true, 0, 3) > 0.0);    // the normal's rows: the colour's gradient
  CHECK(rows_sum(false, 0, 3) == 0.0);  // cut: nothing without R_o, R_p
  CHECK(rows_sum(false, 3, kRefHeadOutputs) > 0.0);  // roughness, diffuse and tint still train
}

TEST_CASE("Ref-NeRF network: reflecting about the density normals (ref_reflect_normals = density)") {
  NetworkConfig c = ref_config();
  c.ref_reflect_step = 2e-3f;
  NerfNetwork net(c);
  net.initialize(13);
  scale_grid(net);
  REQUIRE(net.reflects_density_normals());
  Rays r = two_rays();
  const int m = 12;
  NetworkWorkspace ws;
  std::vector<float> sigma(m), rgb(3 * m);
  net.forward(r.pos.data(), r.dir.data(), m, ws, sigma.data(), rgb.data());
  // The reflection reads the density normals of ref_nerf_normals.h, not n'.
  DensityNormalScratch fd;
  std::vector<float> n(3 * m);
  density_normals(net, r.pos.data(), m, 2e-3f, fd, n.data());
  double off_predicted = 0.0;
  for (int i = 0; i < m; ++i) {
    const Vec3 ni = make_vec3(n[3 * i], n[3 * i + 1], n[3 * i + 2]);
    const Vec3 d = make_vec3(r.dir[3 * i], r.dir[3 * i + 1], r.dir[3 * i + 2]);
    const Vec3 want = reflect_about(-d, ni);
    for (int a = 0; a < 3; ++a) CHECK(ws.ref.refdir[3 * i + a] == doctest::Approx(want[a]).epsilon(1e-4));
    const Vec3 wp = reflect_about(-d, make_vec3(ws.ref.normal[3 * i], ws.ref.normal[3 * i + 1], ws.ref.normal[3 * i + 2]));
    off_predicted += std::fabs(wp.x - want.x) + std::fabs(wp.y - want.y) + std::fabs(wp.z - want.z);
  }
  CHECK(off_predicted > 1e-2);  // n' differs from n here, so the check above can tell them apart
  // Stop-gradient: the colour loss trains neither n' (the head's normal rows) nor anything through n.
  const std::vector<ParamTensor> tensors = net.param_tensors();
  const int head = find_tensor(tensors, kRefNerfHeadTensor);
  REQUIRE(head >= 0);
  std::vector<float> d_sigma(m, 0.f), d_rgb(3 * m, 0.2f);
  std::fill(ws.ref.d_normal.begin(), ws.ref.d_normal.end(), 0.f);
  NetworkGradients grads = net.make_gradients();
  grads.set_zero();
  net.backward(ws, m, d_sigma.data(), d_rgb.data(), grads);
  const float* g = net.gradients(grads)[head];
  double normal_rows = 0.0, other_rows = 0.0;
  for (size_t k = 0; k < tensors[head].size(); ++k)
    (static_cast<int>(k % kRefHeadOutputs) < 3 ? normal_rows : other_rows) += std::fabs(g[k]);
  CHECK(normal_rows == 0.0);
  CHECK(other_rows > 0.0);
  // Inference gives forward's colours when the caller supplies the used samples' normals, and
  // a colour stage without them is refused.
  InferenceWorkspace iws;
  std::vector<float> isigma(m), irgb(3 * m);
  std::vector<int> idx(m);
  for (int i = 0; i < m; ++i) idx[i] = i;
  net.infer_density(r.pos.data(), nullptr, m, iws, isigma.data());
  CHECK_THROWS_AS(net.infer_color(idx.data(), m, r.dir.data(), iws, irgb.data()), std::logic_error);
  net.infer_density(r.pos.data(), nullptr, m, iws, isigma.data());
  net.reflection_normals(r.pos.data(), m, iws.ref);
  net.infer_color(idx.data(), m, r.dir.data(), iws, irgb.data());
  for (int k = 0; k < 3 * m; ++k) CHECK(irgb[k] == doctest::Approx(rgb[k]).epsilon(1e-5));
}

TEST_CASE("Ref-NeRF R_o with ref_orientation_detach_weights trains the predicted normals but not the densities") {
  ForwardedRefNet f;
  NerfNetwork& net = f.net;
  Rays& r = f.r;
  NetworkWorkspace& ws = f.ws;
  const int m = ForwardedRefNet::kSamples;
  for (int i = 0; i < m; i += 2)  // facing away from the camera: R_o is active there
    for (int a = 0; a < 3; ++a) ws.ref.normal[3 * i + a] = r.dir[3 * i + a];
  const auto run = [&](bool detach, double* d_sigma_sum, double* d_normal_sum) {
    RefNerfLossWeights weights;
    weights.orientation = 0.1f;
    weights.predicted_normal = 0.f;
    weights.orientation_detach_weights = detach;
    DensityNormalScratch scratch;
    std::vector<float> d_sigma(m, 0.f);
    NetworkGradients grads = net.make_gradients();
    grads.set_zero();
    const double loss = ref_nerf_regularizers(net, ws, r.pos.data(), r.dir.data(), r.sigma.data(), r.dt.data(),
                                              r.begin.data(), r.count.data(), 2, m, weights, 1.f, scratch,
                                              d_sigma.data(), grads);
    *d_sigma_sum = *d_normal_sum = 0.0;
    for (int i = 0; i < m; ++i) *d_sigma_sum += std::fabs(d_sigma[i]);
    for (int k = 0; k < 3 * m; ++k) *d_normal_sum += std::fabs(ws.ref.d_normal[k]);
    return loss;
  };
  double s_paper = 0.0, n_paper = 0.0, s_detach = 0.0, n_detach = 0.0;
  const double l_paper = run(false, &s_paper, &n_paper);
  const double l_detach = run(true, &s_detach, &n_detach);
  CHECK(l_paper > 0.0);
  CHECK(l_detach == doctest::Approx(l_paper));  // the same loss value
  CHECK(s_paper > 0.0);                          // the paper's R_o reaches the densities
  CHECK(s_detach == 0.0);                        // detached: it does not
  CHECK(n_detach == doctest::Approx(n_paper));   // and n' gets the same gradient
  CHECK(n_detach > 0.0);
}
