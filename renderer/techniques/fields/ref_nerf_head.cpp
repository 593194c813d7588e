#include "renderer/techniques/fields/ref_nerf_head.h"

#include <cmath>
#include <cstring>

#include "renderer/math/activations.h"
#include "renderer/math/ref_nerf.h"
#include "renderer/math/rng.h"

namespace nerds {

namespace {
constexpr float kLog3 = 1.0986122886681098f;  // multinerf: diffuse = sigmoid(raw - log 3), about 0.25 at start
constexpr float kRoughnessBias = -1.f;        // multinerf NerfMLP.roughness_bias

Vec3 vec_at(const float* p, int i) { return make_vec3(p[3 * i], p[3 * i + 1], p[3 * i + 2]); }
void store(float* p, int i, Vec3 v) {
  p[3 * i] = v.x;
  p[3 * i + 1] = v.y;
  p[3 * i + 2] = v.z;
}
}  // namespace

void RefHeadBuffers::reserve(size_t n, int color_input_width) {
  raw.resize(kRefHeadOutputs * n);
  normal.resize(3 * n);
  roughness.resize(n);
  refdir.resize(3 * n);
  view.resize(3 * n);
  linear.resize(3 * n);
  d_normal.resize(3 * n);
  d_color_in.resize(static_cast<size_t>(color_input_width) * n);
}

void RefHeadBuffers::compact(const int* idx, int m, int) {
  const auto keep = [&](std::vector<float>& v, int rows) {
    for (int j = 0; j < m; ++j)
      if (idx[j] != j)
        std::memcpy(v.data() + static_cast<size_t>(j) * rows, v.data() + static_cast<size_t>(idx[j]) * rows,
                    rows * sizeof(float));
  };
  keep(raw, kRefHeadOutputs);
  keep(normal, 3);
  keep(roughness, 1);
  keep(refdir, 3);
  keep(view, 3);
  keep(linear, 3);
}

RefNerfHead::RefNerfHead(int geo_features, int ide_degree)
    : weights_(Eigen::MatrixXf::Zero(kRefHeadOutputs, geo_features + 1)), table_(make_ide_table(ide_degree)) {}

void RefNerfHead::initialize(uint64_t seed) {
  Pcg32 rng(seed, 0x5ef1);
  const int G = geo_features();
  const float bound = std::sqrt(6.f / static_cast<float>(weights_.rows() + G));
  for (int j = 0; j < G; ++j)
    for (int r = 0; r < kRefHeadOutputs; ++r) weights_(r, j) = (rng.next_float() * 2.f - 1.f) * bound;
  weights_.col(G).setZero();  // the biases start at zero (flax Dense)
}

ParamTensor RefNerfHead::param_tensor() {
  ParamTensor t;
  t.name = kRefNerfHeadTensor;
  t.shape = {weights_.rows(), weights_.cols()};
  t.column_major = true;
  t.group = ParamGroup::Dense;
  t.values = weights_.data();
  return t;
}

void RefNerfHead::encode(const float* dir, int m, float* color_in, int ld, RefHeadBuffers& b,
                         const float* reflect_normals) const {
  const int G = geo_features(), D = ide_width();
  Eigen::Map<const Eigen::MatrixXf, Eigen::Unaligned, Eigen::OuterStride<>> f(color_in, G, m, Eigen::OuterStride<>(ld));
  Eigen::Map<Eigen::MatrixXf> raw(b.raw.data(), kRefHeadOutputs, m);
  raw.noalias() = weights_.leftCols(G) * f;
  raw.colwise() += weights_.col(G);
  b.reflected_density = reflect_normals != nullptr;
  for (int i = 0; i < m; ++i) {
    const float* r = b.raw.data() + static_cast<size_t>(i) * kRefHeadOutputs;
    const Vec3 n = negative_normalized(make_vec3(r[0], r[1], r[2]));
    const float rough = softplus(r[3] + kRoughnessBias);
    const Vec3 d = vec_at(dir, i);
    const Vec3 nr = reflect_normals ? vec_at(reflect_normals, i) : n;  // the normal the reflection reads
    const Vec3 wr = reflect_about(-d, nr);  // Eq. 4 with w_o = -d
    store(b.normal.data(), i, n);
    store(b.view.data(), i, d);
    store(b.refdir.data(), i, wr);
    b.roughness[i] = rough;
    float* in = color_in + static_cast<size_t>(i) * ld + G;
    ide_encode(table_, wr.x, wr.y, wr.z, rough, in);
    in[D] = dot(nr, d);  // multinerf's use_n_dot_v: normals . viewdirs
  }
}

void RefNerfHead::finish(const float* spec, int m, const float*, int, RefHeadBuffers& b, float* rgb) const {
  for (int i = 0; i < m; ++i) {
    const float* r = b.raw.data() + static_cast<size_t>(i) * kRefHeadOutputs;
    for (int c = 0; c < 3; ++c) {
      const float diffuse = sigmoid(r[4 + c] - kLog3), tint = sigmoid(r[7 + c]);
      const float lin = tint * spec[3 * i + c] + diffuse;
      b.linear[3 * i + c] = lin;
      rgb[3 * i + c] = ref_nerf_tone_map(lin);
    }
  }
}

void RefNerfHead::finish_backward(const float* d_rgb, const float* spec, const float*, int, int m,
                                  const RefHeadBuffers& b, float* d_out) const {
  for (int i = 0; i < m; ++i) {
    const float* r = b.raw.data() + static_cast<size_t>(i) * kRefHeadOutputs;
    for (int c = 0; c < 3; ++c) {
      const int k = 3 * i + c;
      const float d_lin = d_rgb[k] * ref_nerf_tone_map_grad(b.linear[k]);
      d_out[k] = d_lin * sigmoid(r[7 + c]) * sigmoid_grad_from_output(spec[k]);
    }
  }
}

void RefNerfHead::encode_backward(const float* d_rgb, const float* spec, const float* color_in, int ld, int m,
                                  const RefHeadBuffers& b, Eigen::MatrixXf& d_weights, float* d_features,
                                  int ld_features) const {
  const int G = geo_features(), D = ide_width();
  std::vector<float> d_raw(static_cast<size_t>(kRefHeadOutputs) * m);
  for (int i = 0; i < m; ++i) {
    const float* r = b.raw.data() + static_cast<size_t>(i) * kRefHeadOutputs;
    float* dr = d_raw.data() + static_cast<size_t>(i) * kRefHeadOutputs;
    const float* d_in = b.d_color_in.data() + static_cast<size_t>(i) * ld + G;
    const Vec3 n = vec_at(b.normal.data(), i), d = vec_at(b.view.data(), i), wr = vec_at(b.refdir.data(), i);
    // The IDE: into the reflected direction and the roughness.
    float d_wr[3] = {0.f, 0.f, 0.f}, d_rough = 0.f;
    ide_encode_backward(table_, wr.x, wr.y, wr.z, b.roughness[i], d_in, d_wr, &d_rough);
    Vec3 d_n = vec_at(b.d_normal.data(), i);  // the regularizers'
    if (b.color_to_normal && !b.reflected_density)  // the colour's, through n'.d and the reflection
      d_n = d_n + d * d_in[D] + reflect_about_backward_normal(-d, n, make_vec3(d_wr[0], d_wr[1], d_wr[2]));
    const Vec3 d_g = negative_normalized_backward(make_vec3(r[0], r[1], r[2]), d_n);
    dr[0] = d_g.x;
    dr[1] = d_g.y;
    dr[2] = d_g.z;
    dr[3] = d_rough * softplus_grad(r[3] + kRoughnessBias);
    for (int c = 0; c < 3; ++c) {
      const int k = 3 * i + c;
      const float d_lin = d_rgb[k] * ref_nerf_tone_map_grad(b.linear[k]);
      const float diffuse = sigmoid(r[4 + c] - kLog3), tint = sigmoid(r[7 + c]);
      dr[4 + c] = d_lin * sigmoid_grad_from_output(diffuse);
      dr[7 + c] = d_lin * spec[k] * sigmoid_grad_from_output(tint);
    }
  }
  Eigen::Map<const Eigen::MatrixXf> dR(d_raw.data(), kRefHeadOutputs, m);
  Eigen::Map<const Eigen::MatrixXf, Eigen::Unaligned, Eigen::OuterStride<>> f(color_in, G, m, Eigen::OuterStride<>(ld));
  d_weights.leftCols(G).noalias() += dR * f.transpose();
  d_weights.col(G) += dR.rowwise().sum();
  Eigen::Map<Eigen::MatrixXf, Eigen::Unaligned, Eigen::OuterStride<>> df(d_features, G, m,
                                                                         Eigen::OuterStride<>(ld_features));
  df.noalias() += weights_.leftCols(G).transpose() * dR;
}

}  // namespace nerds
