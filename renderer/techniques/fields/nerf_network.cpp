#include "renderer/techniques/fields/nerf_network.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "renderer/error.h"
#include "renderer/techniques/encodings/encoding_kinds.h"
#include "renderer/techniques/fields/network_tensor_names.h"
#include "renderer/techniques/fields/ref_nerf_normals.h"
#include "renderer/math/activations.h"
#include "renderer/math/density_activation.h"
#include "renderer/math/ref_nerf.h"
#include "renderer/math/sh.h"
#include "renderer/math/sh_color.h"

namespace nerds {

void NetworkGradients::set_zero() {
  for (auto& m : density) m.setZero();
  for (auto& m : color) m.setZero();
  for (auto& m : ref_head) m.setZero();
  std::fill(appearance.begin(), appearance.end(), 0.f);
  transient.set_zero();
}

void NetworkGradients::add(const NetworkGradients& other) {
  for (size_t i = 0; i < density.size(); ++i) density[i] += other.density[i];
  for (size_t i = 0; i < color.size(); ++i) color[i] += other.color[i];
  for (size_t i = 0; i < ref_head.size(); ++i) ref_head[i] += other.ref_head[i];
  for (size_t i = 0; i < appearance.size(); ++i) appearance[i] += other.appearance[i];
  transient.add(other.transient);
}

NerfNetwork::NerfNetwork(const NetworkConfig& config) : config_(config) {
  if (config.sh_degree < 1 || config.sh_degree > kMaxShDegree) throw std::invalid_argument("sh_degree must be 1..4");
  if (config.geo_features < 1) throw std::invalid_argument("geo_features must be >= 1");
  encoding_ = make_position_encoding(config_);
  encoding_dim_ = encoding_->width();
  encoding_tensor_count_ = static_cast<int>(encoding_->param_tensors().size());
  if (network_density_from_encoding(config_)) {
    // The explicit grids: no density MLP; the encoding's outputs are the geometry features.
    config_.geo_features = encoding_dim_;
    config_.density_layers = 0;
    config_.density_skip_layer = 0;
  } else {
    density_ = Mlp({encoding_dim(), config.density_hidden, config.density_layers, config.geo_features,
                    config.density_skip_layer});
  }
  if (network_uses_sh_color(config_)) {
    // Plenoxels: no colour network; the encoding's outputs after the density are the
    // coefficients of 3 channels' SH.
    const int coefficients = config.sh_degree * config.sh_degree;
    if (!network_density_from_encoding(config_))
      throw InputError("", "field.color", "the SH colour head (sh) reads an explicit encoding's coefficients: it needs "
                                          "field.density=encoding");
    if (encoding_dim_ != 1 + 3 * coefficients)
      throw InputError("", "field.color",
                       "the SH colour head (sh) needs the encoding's outputs to be the density and 3 x field.sh_degree^2 = " +
                           std::to_string(3 * coefficients) + " SH coefficients; encoding.kind=" + config.encoding +
                           " gives " + std::to_string(encoding_dim_) + " outputs");
    if (config.appearance.dim > 0)
      throw InputError("", "appearance.kind", "the SH colour head (field.color=sh) has no network to read an appearance code");
    config_.color_layers = 0;
  } else {
    color_ = Mlp({color_input_dim(), config.color_hidden, config.color_layers, 3});
  }
  if (network_uses_ref_nerf(config)) {
    if (config.ide_degree < 1 || config.ide_degree > kMaxIdeDegree) throw std::invalid_argument("ide_degree must be 1..5");
    ref_head_ = std::make_unique<RefNerfHead>(config_.geo_features, config.ide_degree);
  } else if (config.color_head != kStandardColorHead && !network_uses_sh_color(config)) {
    throw std::invalid_argument("unknown color head '" + config.color_head + "'");
  }
  for (int k = 0; k < config.proposal.count; ++k) proposals_.emplace_back(config.proposal, k);
  // Ref-NeRF's head builds its own colour input (IDE, n'.d) and takes no appearance code.
  if (ref_head_ && config.appearance.dim > 0)
    throw InputError("", "appearance.kind",
                     "NeRF-W's appearance codes feed the standard colour network, not Ref-NeRF's head "
                     "(field.color=ref_nerf): use one of them");
  appearance_ = AppearanceEmbeddings(config.appearance);
  transient_ = TransientHead(config.transient, config_.geo_features);
}

void NerfNetwork::set_view_appearance(std::vector<float> code) {
  if (!code.empty() && static_cast<int>(code.size()) != appearance_.dim())
    throw std::invalid_argument("view appearance: " + std::to_string(code.size()) + " numbers for codes of " +
                                std::to_string(appearance_.dim()));
  view_appearance_ = std::move(code);
}

void NerfNetwork::initialize(uint64_t seed) {
  encoding_->initialize(seed);
  density_.initialize(seed + 1);
  color_.initialize(seed + 2);
  for (size_t k = 0; k < proposals_.size(); ++k) proposals_[k].initialize(seed + 3 + 2 * k);
  if (ref_head_) ref_head_->initialize(seed + 101);
  transient_.initialize(seed + 101);  // apart from the proposal networks' seeds
}

NetworkGradients NerfNetwork::make_gradients() const {
  NetworkGradients g;
  g.density = density_.zero_like();
  g.color = color_.zero_like();
  if (ref_head_) g.ref_head.push_back(Eigen::MatrixXf::Zero(ref_head_->weights().rows(), ref_head_->weights().cols()));
  g.appearance.assign(static_cast<size_t>(appearance_.images()) * appearance_.dim(), 0.f);
  g.transient = transient_.make_gradients();
  return g;
}

std::vector<ParamTensor> NerfNetwork::param_tensors() {
  std::vector<ParamTensor> out;
  for (ParamTensor& t : encoding_->param_tensors()) out.push_back(std::move(t));
  for (ParamTensor& t : density_.param_tensors(kDensityMlpTensors)) out.push_back(std::move(t));
  for (ParamTensor& t : color_.param_tensors(kColorMlpTensors)) out.push_back(std::move(t));
  if (ref_head_) out.push_back(ref_head_->param_tensor());
  for (ParamTensor& t : appearance_.param_tensors()) out.push_back(std::move(t));
  for (ParamTensor& t : transient_.param_tensors()) out.push_back(std::move(t));
  for (size_t k = 0; k < proposals_.size(); ++k)
    for (ParamTensor& t : proposals_[k].param_tensors(proposal_tensor_prefix(static_cast<int>(k))))
      out.push_back(std::move(t));
  return out;
}

std::vector<float*> NerfNetwork::gradients(NetworkGradients& grads) const {
  std::vector<float*> out;
  out.assign(static_cast<size_t>(encoding_tensor_count_), nullptr);
  for (Eigen::MatrixXf& g : grads.density) out.push_back(g.data());
  for (Eigen::MatrixXf& g : grads.color) out.push_back(g.data());
  for (Eigen::MatrixXf& g : grads.ref_head) out.push_back(g.data());
  if (appearance_.dim() > 0) out.push_back(grads.appearance.data());
  for (float* g : transient_.gradients(grads.transient)) out.push_back(g);
  return out;
}

std::vector<GradientSlice> NerfNetwork::encoding_gradient_slices() const { return encoding_->gradient_slices(); }

void NerfNetwork::encoding_backward_slice(int slice, const float* pos, const float* var, const float* d_enc, int n,
                                          float* grad) const {
  encoding_->backward_slice(slice, pos, var, d_enc, n, grad);
}

WorkspaceLayout NerfNetwork::workspace_layout() const {
  return {encoding_dim(), color_input_dim(), config_.geo_features, config_.density_hidden, config_.density_layers,
          config_.color_hidden, config_.color_layers};
}

namespace {
// The capacity to lay workspace ws out for so that it holds n samples of a network of this
// layout, or 0 when it already does: anew for a network of another shape, else growing by
// half at least.
template <class Workspace>
int capacity_for(Workspace& ws, const WorkspaceLayout& layout, int n) {
  if (ws.layout != layout) {
    ws.capacity = 0;
    ws.layout = layout;
  }
  if (n <= ws.capacity) return 0;
  return std::max(n, ws.capacity + ws.capacity / 2);
}
}  // namespace

void NerfNetwork::reserve(NetworkWorkspace& ws, int n) const {
  n = capacity_for(ws, workspace_layout(), n);
  if (n == 0) return;
  const size_t N = static_cast<size_t>(n);
  const int E = encoding_dim(), G = config_.geo_features, C = color_input_dim();
  const int Hd = config_.density_hidden, Hc = config_.color_hidden;
  ws.enc.resize(E * N);
  ws.density_hidden.resize(static_cast<size_t>(config_.density_layers) * Hd * N);
  ws.color_in.resize(C * N);
  ws.color_hidden.resize(static_cast<size_t>(config_.color_layers) * Hc * N);
  ws.color_out.resize(3 * N);
  ws.scratch0.resize(std::max(Hd, Hc) * N);
  ws.scratch1.resize(std::max(Hd, Hc) * N);
  ws.d_out.resize(3 * N);
  ws.d_color_in.resize(G * N);
  ws.d_enc.resize(E * N);
  ws.d_color_codes.resize(config_.appearance.dim > 0 ? (G + config_.appearance.dim) * N : 0);
  ws.density_hidden_ptrs.clear();
  for (int k = 0; k < config_.density_layers; ++k) ws.density_hidden_ptrs.push_back(ws.density_hidden.data() + k * Hd * N);
  ws.color_hidden_ptrs.clear();
  for (int k = 0; k < config_.color_layers; ++k) ws.color_hidden_ptrs.push_back(ws.color_hidden.data() + k * Hc * N);
  if (ref_head_) ws.ref.reserve(N, C);
  ws.capacity = n;
}

void NerfNetwork::density(const float* pos, int n, NetworkWorkspace& ws, float* sigma, const float* var) const {
  reserve(ws, n);
  density_stage(pos, var, n, ws.enc.data(), ws.density_hidden_ptrs.data(), ws.color_in.data(), sigma);
}

void NerfNetwork::density_stage(const float* pos, const float* var, int n, float* enc, float* const* hidden,
                                float* color_in, float* sigma) const {
  const int E = encoding_dim(), C = color_input_dim();
  encoding_->encode(pos, var, n, enc, E);
  if (!encoding_weights_.empty()) weigh_encoding(enc, n);
  if (network_density_from_encoding(config_)) {  // the encoding's outputs are the geometry features
    for (int i = 0; i < n; ++i)
      std::memcpy(color_in + static_cast<size_t>(i) * C, enc + static_cast<size_t>(i) * E, E * sizeof(float));
  } else {
    density_.forward(enc, E, n, hidden, color_in, C);
  }
  if (network_density_is_plain_exp(config_)) {
    for (int i = 0; i < n; ++i) sigma[i] = trunc_exp(color_in[static_cast<size_t>(i) * C]);
  } else {
    const int kind = static_cast<int>(config_.density_activation);
    const float shift = config_.density_shift, scale = config_.density_scale;
    for (int i = 0; i < n; ++i) sigma[i] = density_activation(kind, color_in[static_cast<size_t>(i) * C], shift, scale);
  }
}

void NerfNetwork::color(const float* dir, int m, NetworkWorkspace& ws, float* rgb, const int* image,
                        const float* view_code) const {
  color_stage(dir, m, ws.color_in.data(), ws.color_hidden_ptrs.data(), ws.color_out.data(), rgb, ws.ref, image,
              view_code);
}

void NerfNetwork::color_stage(const float* dir, int m, float* color_in, float* const* hidden, float* color_out,
                              float* rgb, RefHeadBuffers& ref, const int* image, const float* view_code) const {
  const int C = color_input_dim(), G = config_.geo_features, deg = config_.sh_degree, A = appearance_.dim();
  if (ref_head_) {  // Ref-NeRF: the head and the IDE of the reflected direction, then c_s, tone-mapped
    const bool density_normals = config_.ref_reflect_step > 0.f;
    if (density_normals && ref.reflect_count != m)
      throw std::logic_error("NerfNetwork: Ref-NeRF reflecting about the density normals needs reflection_normals() "
                             "of these samples before their colour stage");
    ref_head_->encode(dir, m, color_in, C, ref, density_normals ? ref.reflect_normal.data() : nullptr);
    ref.reflect_count = -1;  // used: the next colour stage needs its own
    color_.forward(color_in, C, m, hidden, color_out, 3);
    for (int i = 0; i < 3 * m; ++i) color_out[i] = sigmoid(color_out[i]);
    ref_head_->finish(color_out, m, color_in, C, ref, rgb);
    return;
  }
  for (int i = 0; i < m; ++i) {
    const float* d = dir + 3 * i;
    sh_encode(d[0], d[1], d[2], deg, color_in + static_cast<size_t>(i) * C + G + A);
  }
  if (network_uses_sh_color(config_)) {  // Plenoxels: activation(SH(d) . coefficients) per channel (sh_color.h)
    const int K = deg * deg;
    const int act = static_cast<int>(config_.sh_color_activation);
    for (int i = 0; i < m; ++i) {
      const float* in = color_in + static_cast<size_t>(i) * C;
      for (int ch = 0; ch < 3; ++ch) {
        float s = 0.f;
        for (int k = 0; k < K; ++k) s += in[1 + ch * K + k] * in[G + k];
        color_out[3 * i + ch] = sh_color_activation(act, s);  // kept: the backward pass reads the activation
        rgb[3 * i + ch] = color_out[3 * i + ch];
      }
    }
    return;
  }
  if (A > 0) {  // NeRF-W's appearance code between the geometry features and the direction
    const bool mean = !image && !view_code && view_appearance_.empty();
    const std::vector<float> mean_code = mean ? appearance_.mean() : std::vector<float>();
    if (!view_code) view_code = view_appearance_.empty() ? mean_code.data() : view_appearance_.data();
    for (int i = 0; i < m; ++i)
      std::memcpy(color_in + static_cast<size_t>(i) * C + G, image ? appearance_.code(image[i]) : view_code,
                  A * sizeof(float));
  }
  color_.forward(color_in, C, m, hidden, color_out, 3);
  for (int i = 0; i < 3 * m; ++i) {
    color_out[i] = sigmoid(color_out[i]);  // kept: the backward pass reads the activation
    rgb[i] = color_out[i];
  }
}

void NerfNetwork::forward(const float* pos, const float* dir, int n, NetworkWorkspace& ws, float* sigma,
                          float* rgb, const float* var) const {
  density(pos, n, ws, sigma, var);
  if (reflects_density_normals()) reflection_normals(pos, n, ws.ref);
  color(dir, n, ws, rgb);
}

void NerfNetwork::reflection_normals(const float* pos, int m, RefHeadBuffers& ref) const {
  // n = -grad(tau)/|grad(tau)| by central differences of the raw density (Ref-NeRF's Eq. 3,
  // as ref_nerf_normals.h computes them for R_p), on the density stage alone: nothing is kept
  // for a backward pass (the reflection treats them as constants).
  const float h = config_.ref_reflect_step;
  finite_difference_points(pos, m, h, ref.fd_pos);
  const size_t n6 = 6 * static_cast<size_t>(m);
  const int E = encoding_dim(), C = color_input_dim(), Hd = config_.density_hidden;
  ref.fd_enc.resize(E * n6);
  ref.fd_color_in.resize(C * n6);
  ref.fd_sigma.resize(n6);
  ref.fd_hidden.resize(static_cast<size_t>(std::max(config_.density_layers, 1)) * Hd * n6);
  ref.fd_hidden_ptrs.clear();
  for (int k = 0; k < config_.density_layers; ++k) ref.fd_hidden_ptrs.push_back(ref.fd_hidden.data() + k * Hd * n6);
  ref.reflect_normal.resize(3 * static_cast<size_t>(m));
  if (m > 0)
    density_stage(ref.fd_pos.data(), nullptr, static_cast<int>(n6), ref.fd_enc.data(), ref.fd_hidden_ptrs.data(),
                  ref.fd_color_in.data(), ref.fd_sigma.data());
  float tau[6];
  for (int i = 0; i < m; ++i) {
    for (int k = 0; k < 6; ++k) tau[k] = ref.fd_color_in[(6 * static_cast<size_t>(i) + k) * C];
    const Vec3 n = negative_normalized(finite_difference_gradient(tau, tau + 3, h));
    for (int a = 0; a < 3; ++a) ref.reflect_normal[3 * static_cast<size_t>(i) + a] = n[a];
  }
  ref.reflect_count = m;
}

void NerfNetwork::reserve(InferenceWorkspace& ws, int n) const {
  n = capacity_for(ws, workspace_layout(), n);
  if (n == 0) return;
  const size_t N = static_cast<size_t>(n);
  const size_t H = static_cast<size_t>(std::max(config_.density_hidden, config_.color_hidden));
  ws.enc.resize(encoding_dim() * N);
  ws.hidden0.resize(H * N);
  ws.hidden1.resize(H * N);
  ws.color_in.resize(color_input_dim() * N);
  ws.color_out.resize(3 * N);
  if (ref_head_) ws.ref.reserve(N, color_input_dim());
  ws.density_hidden_ptrs.clear();
  for (int k = 0; k < config_.density_layers; ++k) ws.density_hidden_ptrs.push_back(k % 2 ? ws.hidden1.data() : ws.hidden0.data());
  ws.color_hidden_ptrs.clear();
  for (int k = 0; k < config_.color_layers; ++k) ws.color_hidden_ptrs.push_back(k % 2 ? ws.hidden1.data() : ws.hidden0.data());
  ws.capacity = n;
}

void NerfNetwork::infer_density(const float* pos, const float* var, int n, InferenceWorkspace& ws, float* sigma) const {
  reserve(ws, n);
  density_stage(pos, var, n, ws.enc.data(), ws.density_hidden_ptrs.data(), ws.color_in.data(), sigma);
}

namespace {
// Moves column idx[j] of a (rows x *) column-major buffer to column j, j < m.
void compact_columns(float* data, int rows, const int* idx, int m) {
  for (int j = 0; j < m; ++j)
    if (idx[j] != j) std::memcpy(data + static_cast<size_t>(j) * rows, data + static_cast<size_t>(idx[j]) * rows, rows * sizeof(float));
}
}  // namespace

void NerfNetwork::infer_color(const int* idx, int m, const float* dir, InferenceWorkspace& ws, float* rgb) const {
  compact_columns(ws.color_in.data(), color_input_dim(), idx, m);
  color_stage(dir, m, ws.color_in.data(), ws.color_hidden_ptrs.data(), ws.color_out.data(), rgb, ws.ref, nullptr,
              nullptr);
}

void NerfNetwork::compact_density_stage(NetworkWorkspace& ws, const int* idx, int m) const {
  compact_columns(ws.enc.data(), encoding_dim(), idx, m);
  for (float* h : ws.density_hidden_ptrs) compact_columns(h, config_.density_hidden, idx, m);
  compact_columns(ws.color_in.data(), color_input_dim(), idx, m);
}

void NerfNetwork::copy_density_stage(const NetworkWorkspace& from, int src, NetworkWorkspace& to, int dst,
                                     int count) const {
  const auto copy = [&](const float* a, float* b, int rows) {
    std::memcpy(b + static_cast<size_t>(dst) * rows, a + static_cast<size_t>(src) * rows,
                static_cast<size_t>(count) * rows * sizeof(float));
  };
  copy(from.enc.data(), to.enc.data(), encoding_dim());
  for (size_t k = 0; k < from.density_hidden_ptrs.size(); ++k)
    copy(from.density_hidden_ptrs[k], to.density_hidden_ptrs[k], config_.density_hidden);
  copy(from.color_in.data(), to.color_in.data(), color_input_dim());
}

void NerfNetwork::compact(NetworkWorkspace& ws, const int* idx, int m) const {
  compact_density_stage(ws, idx, m);
  for (float* h : ws.color_hidden_ptrs) compact_columns(h, config_.color_hidden, idx, m);
  compact_columns(ws.color_out.data(), 3, idx, m);
  if (ref_head_) ws.ref.compact(idx, m, color_input_dim());
}

void NerfNetwork::backward(NetworkWorkspace& ws, int m, const float* d_sigma, const float* d_rgb,
                           NetworkGradients& grads, const int* image) const {
  color_backward(ws, m, d_rgb, grads, image);
  density_backward(ws, m, d_sigma, grads);
}

void NerfNetwork::color_backward(NetworkWorkspace& ws, int m, const float* d_rgb, NetworkGradients& grads,
                                 const int* image, float* d_view_code) const {
  const int C = color_input_dim(), G = config_.geo_features, A = appearance_.dim();
  if (ref_head_) {  // Ref-NeRF (no appearance codes): through the tone map, the colour MLP (all its inputs), the head
    ref_head_->finish_backward(d_rgb, ws.color_out.data(), ws.color_in.data(), C, m, ws.ref, ws.d_out.data());
    color_.backward(ws.color_in.data(), C, m, ws.color_hidden_ptrs.data(), ws.d_out.data(), ws.ref.d_color_in.data(),
                    C, C, grads.color, ws.scratch0.data(), ws.scratch1.data());
    for (int i = 0; i < m; ++i)
      std::memcpy(ws.d_color_in.data() + static_cast<size_t>(i) * G, ws.ref.d_color_in.data() + static_cast<size_t>(i) * C,
                  G * sizeof(float));
    ref_head_->encode_backward(d_rgb, ws.color_out.data(), ws.color_in.data(), C, m, ws.ref, grads.ref_head[0],
                               ws.d_color_in.data(), G);
    return;
  }
  if (network_uses_sh_color(config_)) {  // d/d(coefficient k of channel ch) = d_out[ch] SH_k(d); none to the density
    const int K = config_.sh_degree * config_.sh_degree;
    const int act = static_cast<int>(config_.sh_color_activation);
    for (int i = 0; i < 3 * m; ++i) ws.d_out[i] = d_rgb[i] * sh_color_activation_grad_from_output(act, ws.color_out[i]);
    for (int i = 0; i < m; ++i) {
      const float* in = ws.color_in.data() + static_cast<size_t>(i) * C;
      float* d = ws.d_color_in.data() + static_cast<size_t>(i) * G;
      d[0] = 0.f;
      for (int ch = 0; ch < 3; ++ch)
        for (int k = 0; k < K; ++k) d[1 + ch * K + k] = ws.d_out[3 * i + ch] * in[G + k];
    }
    return;
  }
  for (int i = 0; i < 3 * m; ++i) ws.d_out[i] = d_rgb[i] * sigmoid_grad_from_output(ws.color_out[i]);
  if (A == 0) {
    color_.backward(ws.color_in.data(), C, m, ws.color_hidden_ptrs.data(), ws.d_out.data(), ws.d_color_in.data(), G,
                    G, grads.color, ws.scratch0.data(), ws.scratch1.data());
    return;
  }
  // With appearance codes the input's gradient is wanted over the codes' rows too.
  const int GA = G + A;
  color_.backward(ws.color_in.data(), C, m, ws.color_hidden_ptrs.data(), ws.d_out.data(), ws.d_color_codes.data(),
                  GA, GA, grads.color, ws.scratch0.data(), ws.scratch1.data());
  for (int i = 0; i < m; ++i) {
    const float* col = ws.d_color_codes.data() + static_cast<size_t>(i) * GA;
    std::memcpy(ws.d_color_in.data() + static_cast<size_t>(i) * G, col, G * sizeof(float));
    float* d_code = image ? grads.appearance.data() + static_cast<size_t>(image[i]) * A : d_view_code;
    if (d_code)
      for (int k = 0; k < A; ++k) d_code[k] += col[G + k];
  }
}

void NerfNetwork::density_backward(NetworkWorkspace& ws, int m, const float* d_sigma, NetworkGradients& grads) const {
  const int E = encoding_dim(), C = color_input_dim(), G = config_.geo_features;
  // The density enters through the first geometry feature: sigma = trunc_exp(raw) (or the
  // configured activation, density_activation.h).
  if (network_density_is_plain_exp(config_)) {
    for (int i = 0; i < m; ++i) {
      const float raw = ws.color_in[static_cast<size_t>(i) * C];
      ws.d_color_in[static_cast<size_t>(i) * G] += d_sigma[i] * trunc_exp_grad(raw);
    }
  } else {
    const int kind = static_cast<int>(config_.density_activation);
    for (int i = 0; i < m; ++i) {
      const float raw = ws.color_in[static_cast<size_t>(i) * C];
      ws.d_color_in[static_cast<size_t>(i) * G] +=
          d_sigma[i] * density_activation_grad(kind, raw, config_.density_shift, config_.density_scale);
    }
  }
  if (network_density_from_encoding(config_)) {  // no density MLP: dL/d(encoding) is dL/d(features) (G = E)
    std::memcpy(ws.d_enc.data(), ws.d_color_in.data(), static_cast<size_t>(E) * m * sizeof(float));
  } else {
    density_.backward(ws.enc.data(), E, m, ws.density_hidden_ptrs.data(), ws.d_color_in.data(), ws.d_enc.data(), E,
                      E, grads.density, ws.scratch0.data(), ws.scratch1.data());
  }
  // d_enc becomes dL/d(the unweighted encoding), which the table's and the positions' backward read.
  if (!encoding_weights_.empty()) weigh_encoding(ws.d_enc.data(), m);
}

void NerfNetwork::weigh_encoding(float* enc, int n) const {
  const int E = encoding_dim();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < E; ++j) enc[static_cast<size_t>(i) * E + j] *= encoding_weights_[j];
}

}  // namespace nerds

namespace nerds {

void NerfNetwork::raw_densities(const NetworkWorkspace& ws, int n, float* tau) const {
  const size_t C = static_cast<size_t>(color_input_dim());
  for (int i = 0; i < n; ++i) tau[i] = ws.color_in[static_cast<size_t>(i) * C];
}

void NerfNetwork::backward_raw_density(NetworkWorkspace& ws, int n, const float* d_tau, NetworkGradients& grads) const {
  const int E = encoding_dim(), G = config_.geo_features;
  std::fill(ws.d_color_in.begin(), ws.d_color_in.begin() + static_cast<size_t>(G) * n, 0.f);
  for (int i = 0; i < n; ++i) ws.d_color_in[static_cast<size_t>(i) * G] = d_tau[i];
  if (network_density_from_encoding(config_)) {  // no density MLP (G = E)
    std::memcpy(ws.d_enc.data(), ws.d_color_in.data(), static_cast<size_t>(E) * n * sizeof(float));
    return;
  }
  density_.backward(ws.enc.data(), E, n, ws.density_hidden_ptrs.data(), ws.d_color_in.data(), ws.d_enc.data(), E,
                    E, grads.density, ws.scratch0.data(), ws.scratch1.data());
}

}  // namespace nerds
