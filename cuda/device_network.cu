#include "cuda/device_network.cuh"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "cuda/launch.h"
#include "renderer/techniques/encodings/hash_grid.h"
#include "renderer/techniques/fields/network_tensor_names.h"
#include "renderer/math/activations.h"
#include "renderer/math/hash_grid.h"
#include "renderer/math/sh.h"
#include "renderer/train/optimizer.h"

namespace nerds::cuda {

namespace {

constexpr int kMaxFeatures = 8;

// A loss-scaled gradient in half precision, clamped to the largest finite half: a rare huge
// gradient (trunc_exp's derivative reaches e^15) must not become inf and poison the weights.
__device__ __half to_half_saturated(float g) { return __float2half(fminf(fmaxf(g, -65504.f), 65504.f)); }

// ---- per-item kernel bodies (each a thin wrapper over a renderer/math formula) ----------

// Row s, level l of the encoding, in half; rows past n and padding columns are zero.
struct EncodeBody {
  HashGridView grid;
  const float* params;
  const float* pos;
  int64_t n;
  int enc_dim, enc_pad;
  __half* enc;
  __device__ void operator()(int64_t i) const {
    const int L = grid.n_levels, F = grid.n_features;
    const int64_t s = i / L;
    const int l = static_cast<int>(i % L);
    __half* row = enc + s * enc_pad;
    float f[kMaxFeatures];
    if (s < n) {
      hash_grid_encode_level(grid, l, params, pos + 3 * s, f);
    } else {
      for (int j = 0; j < F; ++j) f[j] = 0.f;
    }
    for (int j = 0; j < F; ++j) row[l * F + j] = __float2half(f[j]);
    if (l == 0)
      for (int j = enc_dim; j < enc_pad; ++j) row[j] = __float2half(0.f);
  }
};

struct HashBackwardBody {
  HashGridView grid;
  const float* pos;
  const float* d_enc;
  int enc_pad;
  float* d_params;
  __device__ void operator()(int64_t i) const {
    const int L = grid.n_levels;
    const int64_t s = i / L;
    hash_grid_backward_level(grid, static_cast<int>(i % L), pos + 3 * s, d_enc + s * enc_pad, d_params,
                             [](float* target, float value) { atomicAdd(target, value); });
  }
};

struct SigmaBody {
  const float* density_out;
  int geo_pad;
  float* sigma;
  __device__ void operator()(int64_t i) const { sigma[i] = trunc_exp(density_out[i * geo_pad]); }
};

// [geometry features, SH(direction)] in half; rows past n and padding columns are zero.
struct ColorInputBody {
  const float* density_out;
  const float* dir;
  int64_t n;
  int geo, geo_pad, sh_degree, width, width_pad;
  __half* color_in;
  __device__ void operator()(int64_t s) const {
    __half* row = color_in + s * width_pad;
    if (s >= n) {
      for (int j = 0; j < width_pad; ++j) row[j] = __float2half(0.f);
      return;
    }
    for (int j = 0; j < geo; ++j) row[j] = __float2half(density_out[s * geo_pad + j]);
    float sh[kMaxShDegree * kMaxShDegree];
    sh_encode(dir[3 * s], dir[3 * s + 1], dir[3 * s + 2], sh_degree, sh);
    for (int j = 0; j < sh_degree * sh_degree; ++j) row[geo + j] = __float2half(sh[j]);
    for (int j = width; j < width_pad; ++j) row[j] = __float2half(0.f);
  }
};

struct RgbBody {
  const float* color_out;
  int out_pad;
  float* rgb;
  __device__ void operator()(int64_t i) const {
    const int64_t s = i / 3;
    rgb[i] = sigmoid(color_out[s * out_pad + i % 3]);
  }
};

// dL/d(color MLP output) = dL/drgb * sigmoid', loss-scaled, in half; zero past n and 3.
struct ColorOutGradBody {
  const float* color_out;
  const float* d_rgb;
  int64_t n;
  int out_pad;
  float scale;
  __half* d_color_out;
  __device__ void operator()(int64_t i) const {
    const int64_t s = i / out_pad;
    const int k = static_cast<int>(i % out_pad);
    float g = 0.f;
    if (s < n && k < 3) g = scale * d_rgb[3 * s + k] * sigmoid_grad_from_output(sigmoid(color_out[s * out_pad + k]));
    d_color_out[i] = to_half_saturated(g);
  }
};

// dL/d(density MLP output): the geometry features' gradient from the color MLP, plus the
// density's through sigma = trunc_exp(raw) on the first output; half, zero past n and geo.
struct DensityOutGradBody {
  const float* density_out;
  const float* d_color_in;  // loss-scaled, color_in_pad per row
  const float* d_sigma;
  int64_t n;
  int geo, geo_pad, color_in_pad;
  float scale;
  __half* d_density_out;
  __device__ void operator()(int64_t i) const {
    const int64_t s = i / geo_pad;
    const int j = static_cast<int>(i % geo_pad);
    float g = 0.f;
    if (s < n && j < geo) {
      g = d_color_in[s * color_in_pad + j];
      if (j == 0) g += scale * d_sigma[s] * trunc_exp_grad(density_out[s * geo_pad]);
    }
    d_density_out[i] = to_half_saturated(g);
  }
};

// Adam on one entry of a tensor (optimizer.h): its gradient with the loss scale removed;
// the half copy the fused MLP reads follows the float value.
struct TensorAdamBody {
  AdamStep step;
  bool skip_zero;
  float inv_scale;
  float *params, *m, *v, *grads;
  __half* params_half;  // or null
  __device__ void operator()(int64_t i) const {
    adam_update(step, grads[i] * inv_scale, skip_zero, params + i, m + i, v + i);
    grads[i] = 0.f;
    if (params_half) params_half[i] = __float2half(params[i]);
  }
};

struct ToHalfBody {
  const float* in;
  __half* out;
  __device__ void operator()(int64_t i) const { out[i] = __float2half(in[i]); }
};

std::string mlp_error(const char* which, const std::string& what) {
  return std::string("cuda backend: the fused MLP does not support this ") + which + ": " + what;
}

}  // namespace

// ---- DeviceMlp ------------------------------------------------------------------------

void DeviceMlp::allocate(const MlpShape& padded, std::vector<int> layer_rows, std::vector<int> layer_cols) {
  shape = padded;
  rows = std::move(layer_rows);
  cols = std::move(layer_cols);
  const size_t count = static_cast<size_t>(shape.weight_count());
  weights.resize(count);
  grads.resize(count);
  adam_m.resize(count);
  adam_v.resize(count);
  weights_half.resize(count);
  grads.zero();
}

DeviceTensor DeviceMlp::layer_tensor(const char* prefix, int k) {
  DeviceTensor t;
  t.info.name = mlp_layer_tensor_name(prefix, k);
  t.info.shape = {rows[k], cols[k]};
  t.info.column_major = true;
  t.info.group = ParamGroup::Dense;
  t.rows = rows[k];
  t.cols = cols[k];
  t.ld = shape.layer_inputs(k);
  t.count = static_cast<int64_t>(shape.layer_outputs(k)) * shape.layer_inputs(k);
  const int64_t offset = shape.layer_offset(k);
  t.values = weights.data() + offset;
  t.grads = grads.data() + offset;
  t.adam_m = adam_m.data() + offset;
  t.adam_v = adam_v.data() + offset;
  t.values_half = weights_half.data() + offset;
  t.grad_scale = kLossScale;
  return t;
}

std::vector<float> DeviceMlp::unpad(const std::vector<float>& padded) const {
  std::vector<float> packed;
  for (int k = 0; k < shape.layers(); ++k) {
    const int64_t base = shape.layer_offset(k);
    const int ld = shape.layer_inputs(k);
    for (int c = 0; c < cols[k]; ++c)
      for (int r = 0; r < rows[k]; ++r) packed.push_back(padded[base + static_cast<int64_t>(r) * ld + c]);
  }
  return packed;
}

namespace {
// Where entry (r, c) of a tensor lies in its host storage (PackedTensor::values).
size_t host_index(const DeviceTensor& t, int64_t r, int64_t c) {
  return static_cast<size_t>(t.info.column_major ? c * t.rows + r : r * t.cols + c);
}

// Whether the device layout is the host's (no padding, the same order): copied as it is.
bool same_layout(const DeviceTensor& t) { return !t.info.column_major && t.ld == t.cols && t.count == t.rows * t.cols; }

// A host array of the tensor (values or a moment) into its device layout at `device`.
void upload_array(const DeviceTensor& t, const std::vector<float>& host, float* device, const char* what) {
  if (host.size() != t.info.size())
    throw std::invalid_argument(std::string("cuda backend: ") + what + " of tensor '" + t.info.name + "': " +
                                std::to_string(host.size()) + " floats for a tensor of " +
                                std::to_string(t.info.size()));
  if (same_layout(t)) {
    check(cudaMemcpy(device, host.data(), host.size() * sizeof(float), cudaMemcpyHostToDevice), what);
    return;
  }
  std::vector<float> laid_out(static_cast<size_t>(t.count), 0.f);
  for (int64_t r = 0; r < t.rows; ++r)
    for (int64_t c = 0; c < t.cols; ++c) laid_out[r * t.ld + c] = host[host_index(t, r, c)];
  check(cudaMemcpy(device, laid_out.data(), laid_out.size() * sizeof(float), cudaMemcpyHostToDevice), what);
}

std::vector<float> download_array(const DeviceTensor& t, const float* device, const char* what) {
  std::vector<float> laid_out(static_cast<size_t>(t.count));
  check(cudaMemcpy(laid_out.data(), device, laid_out.size() * sizeof(float), cudaMemcpyDeviceToHost), what);
  if (same_layout(t)) return laid_out;
  std::vector<float> host(t.info.size());
  for (int64_t r = 0; r < t.rows; ++r)
    for (int64_t c = 0; c < t.cols; ++c) host[host_index(t, r, c)] = laid_out[r * t.ld + c];
  return host;
}
}  // namespace

void DeviceMlp::upload_weights(const std::vector<float>& layers) {
  size_t first = 0;
  for (int k = 0; k < shape.layers(); ++k) {
    const DeviceTensor t = layer_tensor("mlp", k);
    const size_t n = t.info.size();
    if (first + n > layers.size()) throw std::invalid_argument("DeviceMlp::upload_weights: too few weights");
    upload_array(t, std::vector<float>(layers.begin() + first, layers.begin() + first + n), t.values, "MLP weights");
    first += n;
  }
  launch_items("mlp_weights_to_half", static_cast<int64_t>(weights.size()), ToHalfBody{weights.data(), weights_half.data()});
}

// ---- DeviceNetwork ---------------------------------------------------------------------

std::string device_network_supports(const NetworkConfig& config) {
  // The dense grid is a HashGridView whose levels are all 1:1: the same kernels read it.
  if (!encoding_is_grid(config))
    return "the CUDA backend runs only encoding.kind=hash or dense so far";
  if (config.density_skip_layer != 0) return mlp_error("skip connection", "field.skip_layer must be 0");
  if (config.grid.features > kMaxFeatures) return mlp_error("encoding", "more than 8 features per level");
  if (config.density_hidden != kMlpWidth || config.color_hidden != kMlpWidth)
    return mlp_error("width", "field.density_hidden and field.color_hidden must be 64");
  if (round_up16(config.grid.levels * config.grid.features) > kMlpWidth)
    return mlp_error("encoding width", "encoding.levels * encoding.features must be <= 64");
  if (round_up16(config.geo_features) > kMlpWidth ||
      round_up16(config.geo_features + config.sh_degree * config.sh_degree) > kMlpWidth)
    return mlp_error("color input", "field.geo_features + sh_degree^2 must be <= 64");
  if (config.density_layers < 1 || config.color_layers < 1)
    return mlp_error("depth", "each MLP needs at least one hidden layer");
  return "";
}

DeviceNetwork::DeviceNetwork(const NetworkConfig& config) : config_(config) {
  const std::string unsupported = device_network_supports(config);
  if (!unsupported.empty()) throw std::invalid_argument(unsupported);
  grid_view_ = hash_grid_layout(network_grid_config(config));
  enc_dim_ = grid_view_.n_levels * grid_view_.n_features;
  enc_pad_ = round_up16(enc_dim_);
  geo_ = config.geo_features;
  geo_pad_ = round_up16(geo_);
  color_in_ = geo_ + config.sh_degree * config.sh_degree;
  color_in_pad_ = round_up16(color_in_);

  auto layer_shapes = [](int inputs, int hidden, int layers, int outputs, std::vector<int>& r, std::vector<int>& c) {
    for (int k = 0; k <= layers; ++k) {
      r.push_back(k == layers ? outputs : hidden);
      c.push_back(k == 0 ? inputs : hidden);
    }
  };
  std::vector<int> r, c;
  layer_shapes(enc_dim_, kMlpWidth, config.density_layers, geo_, r, c);
  density_.allocate({enc_pad_, geo_pad_, config.density_layers}, r, c);
  r.clear();
  c.clear();
  layer_shapes(color_in_, kMlpWidth, config.color_layers, 3, r, c);
  color_.allocate({color_in_pad_, 16, config.color_layers}, r, c);

  const size_t count = hash_grid_param_count(grid_view_);
  grid_.resize(count);
  grid_grad_.resize(count);
  grid_grad_.zero();
  grid_m_.resize(count);
  grid_v_.resize(count);

  // The tensor list, in NerfNetwork::param_tensors' order.
  DeviceTensor table;
  table.info.name = kEncodingTableTensor;
  table.info.shape = {static_cast<int64_t>(count) / grid_view_.n_features, grid_view_.n_features};
  table.info.group = ParamGroup::Sparse;
  table.rows = table.info.shape[0];
  table.cols = table.ld = grid_view_.n_features;
  table.count = static_cast<int64_t>(count);
  table.values = grid_.data();
  table.grads = grid_grad_.data();
  table.adam_m = grid_m_.data();
  table.adam_v = grid_v_.data();
  tensors_.push_back(table);
  for (int k = 0; k < density_.shape.layers(); ++k) tensors_.push_back(density_.layer_tensor(kDensityMlpTensors, k));
  for (int k = 0; k < color_.shape.layers(); ++k) tensors_.push_back(color_.layer_tensor(kColorMlpTensors, k));
}

void DeviceNetwork::upload(const PackedModel& model) {
  for (const DeviceTensor& t : tensors_) {
    const PackedTensor* p = model.find(t.info.name);
    if (!p) throw std::invalid_argument("cuda backend: the model has no tensor '" + t.info.name + "'");
    upload_array(t, p->values, t.values, "tensor upload");
    upload_array(t, p->adam.m, t.adam_m, "Adam moment upload");
    upload_array(t, p->adam.v, t.adam_v, "Adam moment upload");
    if (t.values_half)
      launch_items("tensor_to_half", t.count, ToHalfBody{t.values, t.values_half});
  }
}

void DeviceNetwork::download(PackedModel& model) const {
  for (const DeviceTensor& t : tensors_) {
    PackedTensor* p = model.find(t.info.name);
    if (!p) throw std::invalid_argument("cuda backend: the host model has no tensor '" + t.info.name + "'");
    p->values = download_array(t, t.values, "tensor download");
    p->adam.m = download_array(t, t.adam_m, "Adam moment download");
    p->adam.v = download_array(t, t.adam_v, "Adam moment download");
  }
}

void DeviceNetwork::reserve(NetworkBatch& b, int64_t n, bool training) const {
  const int64_t rows = round_up_rows(n);
  const int64_t cap = rows + rows / 4 / kMlpBlockRows * kMlpBlockRows;  // some headroom against regrowth
  const size_t N = static_cast<size_t>(cap);
  if (rows > b.inference_capacity) {
    b.enc.resize(N * enc_pad_);
    b.color_in.resize(N * color_in_pad_);
    b.density_out.resize(N * geo_pad_);
    b.color_out.resize(N * 16);
    b.inference_capacity = cap;
  }
  if (training && rows > b.training_capacity) {
    b.density_hidden.resize(N * kMlpWidth * config_.density_layers);
    b.color_hidden.resize(N * kMlpWidth * config_.color_layers);
    b.d_color_out.resize(N * 16);
    b.d_density_out.resize(N * geo_pad_);
    b.d_pre_color.resize(N * mlp_pre_activation_width(color_.shape));
    b.d_pre_density.resize(N * mlp_pre_activation_width(density_.shape));
    b.d_color_in.resize(N * color_in_pad_);
    b.d_enc.resize(N * enc_pad_);
    b.training_capacity = cap;
  }
}

void DeviceNetwork::density(const float* pos, int64_t n, NetworkBatch& b, float* sigma, cudaStream_t stream) const {
  for (int64_t first = 0; first < n; first += kInferenceChunk) {
    const int64_t m = std::min(kInferenceChunk, n - first);
    reserve(b, m, false);
    launch_items("hash_encode", round_up_rows(m) * grid_view_.n_levels,
                 EncodeBody{grid_view_, grid_.data(), pos + 3 * first, m, enc_dim_, enc_pad_, b.enc.data()}, stream);
    mlp_forward(density_.shape, density_.weights_half.data(), b.enc.data(), m, b.density_out.data(), nullptr, stream);
    launch_items("density_activation", m, SigmaBody{b.density_out.data(), geo_pad_, sigma + first}, stream);
  }
}

void DeviceNetwork::forward(const float* pos, const float* dir, int64_t n, NetworkBatch& b, float* sigma, float* rgb,
                            bool keep, cudaStream_t stream) const {
  const int64_t piece = keep ? std::max<int64_t>(n, 1) : kInferenceChunk;
  for (int64_t first = 0; first < n; first += piece) {
    const int64_t m = std::min(piece, n - first);
    const int64_t m_pad = round_up_rows(m);
    reserve(b, m, keep);
    launch_items("hash_encode", m_pad * grid_view_.n_levels,
                 EncodeBody{grid_view_, grid_.data(), pos + 3 * first, m, enc_dim_, enc_pad_, b.enc.data()}, stream);
    mlp_forward(density_.shape, density_.weights_half.data(), b.enc.data(), m, b.density_out.data(),
                keep ? b.density_hidden.data() : nullptr, stream);
    launch_items("density_activation", m, SigmaBody{b.density_out.data(), geo_pad_, sigma + first}, stream);
    launch_items("color_input", m_pad,
                 ColorInputBody{b.density_out.data(), dir + 3 * first, m, geo_, geo_pad_, config_.sh_degree, color_in_,
                                color_in_pad_, b.color_in.data()},
                 stream);
    mlp_forward(color_.shape, color_.weights_half.data(), b.color_in.data(), m, b.color_out.data(),
                keep ? b.color_hidden.data() : nullptr, stream);
    launch_items("color_activation", 3 * m, RgbBody{b.color_out.data(), 16, rgb + 3 * first}, stream);
  }
}

void DeviceNetwork::backward(const float* pos, int64_t n, NetworkBatch& b, const float* d_sigma, const float* d_rgb,
                             cudaStream_t stream) {
  if (n <= 0) return;
  const int64_t n_pad = round_up_rows(n);
  launch_items("color_output_grad", n_pad * 16,
               ColorOutGradBody{b.color_out.data(), d_rgb, n, 16, kLossScale, b.d_color_out.data()}, stream);
  // The color MLP's input gradient stays loss-scaled: it feeds the density MLP's backward.
  mlp_backward(color_.shape, color_.weights_half.data(), b.color_in.data(), n, b.color_hidden.data(),
               b.d_color_out.data(), b.d_pre_color.data(), b.d_color_in.data(), 1.f, color_.grads.data(), stream);
  launch_items("density_output_grad", n_pad * geo_pad_,
               DensityOutGradBody{b.density_out.data(), b.d_color_in.data(), d_sigma, n, geo_, geo_pad_, color_in_pad_,
                                  kLossScale, b.d_density_out.data()},
               stream);
  mlp_backward(density_.shape, density_.weights_half.data(), b.enc.data(), n, b.density_hidden.data(),
               b.d_density_out.data(), b.d_pre_density.data(), b.d_enc.data(), 1.f / kLossScale,
               density_.grads.data(), stream);
  launch_items("hash_backward", n * grid_view_.n_levels,
               HashBackwardBody{grid_view_, pos, b.d_enc.data(), enc_pad_, grid_grad_.data()}, stream);
}

void DeviceNetwork::download_gradients(std::vector<float>& grid, std::vector<float>& density,
                                       std::vector<float>& color) const {
  grid = grid_grad_.download();
  density = density_.unpad(density_.grads.download());
  color = color_.unpad(color_.grads.download());
  for (float& g : density) g /= kLossScale;
  for (float& g : color) g /= kLossScale;
}

void DeviceNetwork::adam(const OptimizerConfig& optimizer, float lr, int t, cudaStream_t stream) {
  for (const DeviceTensor& d : tensors_)
    launch_items("tensor_adam", d.count,
                 TensorAdamBody{tensor_adam_step(d.info, optimizer, lr, t), group_skips_zero_gradients(d.info.group),
                                1.f / d.grad_scale, d.values, d.adam_m, d.adam_v, d.grads, d.values_half},
                 stream);
}

}  // namespace nerds::cuda
