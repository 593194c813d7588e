// Host-vector entry points to the fused MLP and the device network, for the parity tests
// (compiled by the host compiler, they cannot see CUDA types).
#include <stdexcept>

#include "cuda/buffer.h"
#include "cuda/device_network.cuh"
#include "cuda/device_occupancy.cuh"
#include "cuda/device_scan.cuh"
#include "cuda/launch.h"
#include "cuda/math_kernels.h"
#include "cuda/mlp/fused_mlp.cuh"

namespace nerds::cuda {

namespace {
// n rows of `cols` floats into n_pad rows of `cols_pad` halves (zero padding), scaled.
DeviceBuffer<__half> to_padded_half(const std::vector<float>& v, int n, int cols, int cols_pad, float scale) {
  std::vector<__half> h(static_cast<size_t>(round_up_rows(n)) * cols_pad, __float2half(0.f));
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < cols; ++c) h[static_cast<size_t>(i) * cols_pad + c] = __float2half(scale * v[static_cast<size_t>(i) * cols + c]);
  DeviceBuffer<__half> d;
  d.upload(h);
  return d;
}

std::vector<float> unpad_rows(const std::vector<float>& v, int n, int cols, int cols_pad) {
  std::vector<float> out(static_cast<size_t>(n) * cols);
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < cols; ++c) out[static_cast<size_t>(i) * cols + c] = v[static_cast<size_t>(i) * cols_pad + c];
  return out;
}
}  // namespace

MlpPass fused_mlp_pass(const MlpLayers& mlp, const std::vector<float>& x, const std::vector<float>& d_out, int n) {
  const int layers = static_cast<int>(mlp.rows.size());
  if (layers < 2) throw std::invalid_argument("fused_mlp_pass: needs a hidden layer");
  const int inputs = mlp.cols.front(), outputs = mlp.rows.back();
  for (int k = 0; k + 1 < layers; ++k)
    if (mlp.rows[k] != kMlpWidth) throw std::invalid_argument("fused_mlp_pass: hidden layers must be 64 wide");
  if (inputs > kMlpWidth || outputs > kMlpWidth) throw std::invalid_argument("fused_mlp_pass: at most 64 inputs and outputs");
  DeviceMlp d;
  d.allocate({round_up16(inputs), round_up16(outputs), layers - 1}, mlp.rows, mlp.cols);
  d.upload_weights(mlp.weights);
  const int64_t n_pad = round_up_rows(n);
  DeviceBuffer<__half> in = to_padded_half(x, n, inputs, d.shape.inputs, 1.f);
  DeviceBuffer<__half> dout = to_padded_half(d_out, n, outputs, d.shape.outputs, 1.f);
  DeviceBuffer<__half> hidden(static_cast<size_t>(n_pad) * kMlpWidth * (layers - 1));
  DeviceBuffer<__half> d_pre(static_cast<size_t>(n_pad) * mlp_pre_activation_width(d.shape));
  DeviceBuffer<float> out(static_cast<size_t>(n_pad) * d.shape.outputs), d_in(static_cast<size_t>(n_pad) * d.shape.inputs);
  mlp_forward(d.shape, d.weights_half.data(), in.data(), n, out.data(), hidden.data(), nullptr);
  mlp_backward(d.shape, d.weights_half.data(), in.data(), n, hidden.data(), dout.data(), d_pre.data(), d_in.data(), 1.f,
               d.grads.data(), nullptr);
  synchronize("fused_mlp_pass");
  MlpPass r;
  r.out = unpad_rows(out.download(), n, outputs, d.shape.outputs);
  r.d_in = unpad_rows(d_in.download(), n, inputs, d.shape.inputs);
  r.d_weights = d.unpad(d.grads.download());
  return r;
}

NetworkPass network_pass(const NetworkConfig& config, const PackedModel& model,
                         const std::vector<float>& pos, const std::vector<float>& dir, const std::vector<float>& d_sigma,
                         const std::vector<float>& d_rgb) {
  DeviceNetwork net(config);
  net.upload(model);
  const int64_t n = static_cast<int64_t>(pos.size() / 3);
  NetworkBatch batch;
  DeviceBuffer<float> d_pos(pos), d_dir(dir), sigma(n), rgb(3 * n), ds(d_sigma), drgb(d_rgb);
  net.forward(d_pos.data(), d_dir.data(), n, batch, sigma.data(), rgb.data(), true, nullptr);
  net.backward(d_pos.data(), n, batch, ds.data(), drgb.data(), nullptr);
  synchronize("network_pass");
  NetworkPass r;
  r.sigma = sigma.download();
  r.rgb = rgb.download();
  net.download_gradients(r.d_grid, r.d_density, r.d_color);
  return r;
}

std::vector<float> occupancy_update_pass(const NetworkConfig& config, const PackedModel& model,
                                         const OccupancyConfig& occupancy, int step, uint64_t seed) {
  DeviceNetwork net(config);
  net.upload(model);
  DeviceScan scan;
  DeviceOccupancy occ(occupancy, scan);
  occ.upload(model.occupancy, scan);
  NetworkBatch batch;
  occ.update(net, batch, step, seed, scan, nullptr);
  synchronize("occupancy_update_pass");
  return occ.download();
}

}  // namespace nerds::cuda
