#include "cuda/mlp/fused_mlp.cuh"

#include <mma.h>

#include <stdexcept>
#include <string>

#include "cuda/cuda_check.h"
#include "renderer/math/activations.h"

namespace nerds::cuda {

namespace {

using namespace nvcuda;

constexpr int kWarps = kMlpBlockRows / 32;
constexpr int kRowsPerWarp = 32;
constexpr int kLda = kMlpWidth + 8;        // halves per shared row: the skew spreads rows over banks
constexpr int kWeightGradRows = 1024;      // samples per block of the weight-gradient kernel

using FragA = wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major>;
using FragAcc = wmma::fragment<wmma::accumulator, 16, 16, 16, float>;

// A warp's share of the block's shared memory: its 32 samples' activations (two buffers,
// the layer's input and its output) and a 16x16 float tile to read accumulators back.
struct WarpSmem {
  __half act[2][kRowsPerWarp * kLda];
  float stage[16 * 16];
};

// Rows [row0, row0 + 32) of an (n_pad x width) half matrix into a warp buffer (16-byte moves).
__device__ void load_rows(const __half* __restrict__ src, int width, int64_t row0, __half* dst, int lane) {
  const int per_row = width / 8;
  for (int i = lane; i < kRowsPerWarp * per_row; i += 32) {
    const int r = i / per_row, v = i % per_row;
    *reinterpret_cast<uint4*>(dst + r * kLda + v * 8) =
        *reinterpret_cast<const uint4*>(src + (row0 + r) * width + v * 8);
  }
}

__device__ void store_rows(const __half* src, int width, int64_t row0, __half* __restrict__ dst, int lane) {
  const int per_row = width / 8;
  for (int i = lane; i < kRowsPerWarp * per_row; i += 32) {
    const int r = i / per_row, v = i % per_row;
    *reinterpret_cast<uint4*>(dst + (row0 + r) * width + v * 8) =
        *reinterpret_cast<const uint4*>(src + r * kLda + v * 8);
  }
}

// Forward through every layer for the block's 128 samples (32 per warp).
template <bool kKeepHidden>
__global__ void __launch_bounds__(kMlpBlockRows)
    mlp_forward_kernel(MlpShape shape, const __half* __restrict__ weights, const __half* __restrict__ in, int64_t n,
                       int64_t n_pad, float* __restrict__ out, __half* __restrict__ hidden) {
  __shared__ __align__(32) WarpSmem smem[kWarps];
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  WarpSmem& s = smem[warp];
  const int64_t row0 = static_cast<int64_t>(blockIdx.x) * kMlpBlockRows + warp * kRowsPerWarp;
  load_rows(in, shape.inputs, row0, s.act[0], lane);
  __syncwarp();
  int cur = 0;
  const int L = shape.layers();
  for (int k = 0; k < L; ++k) {
    const int in_dim = shape.layer_inputs(k), out_dim = shape.layer_outputs(k);
    const __half* W = weights + shape.layer_offset(k);
    const bool last = k == L - 1;
    for (int rt = 0; rt < 2; ++rt) {
      for (int ct = 0; ct < out_dim / 16; ++ct) {
        FragAcc acc;
        wmma::fill_fragment(acc, 0.f);
        for (int kt = 0; kt < in_dim / 16; ++kt) {
          // W is row-major (out x in): as the (in x out) right operand it is column-major.
          wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> b;
          FragA a;
          wmma::load_matrix_sync(a, s.act[cur] + rt * 16 * kLda + kt * 16, kLda);
          wmma::load_matrix_sync(b, W + ct * 16 * in_dim + kt * 16, in_dim);
          wmma::mma_sync(acc, a, b, acc);
        }
        wmma::store_matrix_sync(s.stage, acc, 16, wmma::mem_row_major);
        __syncwarp();
        // Lane l reads 8 consecutive values of row l/2 of the tile.
        const int r = lane / 2, c0 = (lane % 2) * 8;
        const int64_t row = row0 + rt * 16 + r;
        if (last) {
          if (row < n)
            for (int j = 0; j < 8; ++j) out[row * out_dim + ct * 16 + c0 + j] = s.stage[r * 16 + c0 + j];
        } else {
          alignas(16) __half h[8];
          for (int j = 0; j < 8; ++j) h[j] = __float2half(row < n ? relu(s.stage[r * 16 + c0 + j]) : 0.f);
          *reinterpret_cast<uint4*>(s.act[cur ^ 1] + (rt * 16 + r) * kLda + ct * 16 + c0) =
              *reinterpret_cast<const uint4*>(h);
          if (kKeepHidden)
            *reinterpret_cast<uint4*>(hidden + k * n_pad * kMlpWidth + row * kMlpWidth + ct * 16 + c0) =
                *reinterpret_cast<const uint4*>(h);
        }
        __syncwarp();
      }
    }
    cur ^= 1;
    __syncwarp();
  }
}

// Backward through every layer: dY_k is kept for the weight gradients, dX_k = dY_k W_k,
// and dY_{k-1} = dX_k where layer k-1's output was positive (ReLU).
__global__ void __launch_bounds__(kMlpBlockRows)
    mlp_backward_kernel(MlpShape shape, const __half* __restrict__ weights, int64_t n, int64_t n_pad,
                        const __half* __restrict__ hidden, const __half* __restrict__ d_out,
                        __half* __restrict__ d_pre, float* __restrict__ d_in, float dx_scale) {
  __shared__ __align__(32) WarpSmem smem[kWarps];
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  WarpSmem& s = smem[warp];
  const int64_t row0 = static_cast<int64_t>(blockIdx.x) * kMlpBlockRows + warp * kRowsPerWarp;
  load_rows(d_out, shape.outputs, row0, s.act[0], lane);
  __syncwarp();
  int cur = 0;
  const int L = shape.layers();
  for (int k = L - 1; k >= 0; --k) {
    const int in_dim = shape.layer_inputs(k), out_dim = shape.layer_outputs(k);
    int64_t pre_offset = 0;
    for (int i = 0; i < k; ++i) pre_offset += shape.layer_outputs(i);
    store_rows(s.act[cur], out_dim, row0, d_pre + pre_offset * n_pad, lane);
    if (k == 0 && d_in == nullptr) break;
    const __half* W = weights + shape.layer_offset(k);
    for (int rt = 0; rt < 2; ++rt) {
      for (int ct = 0; ct < in_dim / 16; ++ct) {
        FragAcc acc;
        wmma::fill_fragment(acc, 0.f);
        for (int kt = 0; kt < out_dim / 16; ++kt) {
          // W row-major (out x in) is the (out x in) right operand as it is.
          wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b;
          FragA a;
          wmma::load_matrix_sync(a, s.act[cur] + rt * 16 * kLda + kt * 16, kLda);
          wmma::load_matrix_sync(b, W + kt * 16 * in_dim + ct * 16, in_dim);
          wmma::mma_sync(acc, a, b, acc);
        }
        wmma::store_matrix_sync(s.stage, acc, 16, wmma::mem_row_major);
        __syncwarp();
        const int r = lane / 2, c0 = (lane % 2) * 8;
        const int64_t row = row0 + rt * 16 + r;
        if (k == 0) {
          for (int j = 0; j < 8; ++j)
            d_in[row * in_dim + ct * 16 + c0 + j] = row < n ? s.stage[r * 16 + c0 + j] * dx_scale : 0.f;
        } else {
          const __half* h_prev = hidden + (k - 1) * n_pad * kMlpWidth + row * kMlpWidth + ct * 16 + c0;
          alignas(16) __half g[8];
          for (int j = 0; j < 8; ++j) {
            const bool active = row < n && __half2float(h_prev[j]) > 0.f;
            g[j] = __float2half(active ? s.stage[r * 16 + c0 + j] : 0.f);
          }
          *reinterpret_cast<uint4*>(s.act[cur ^ 1] + (rt * 16 + r) * kLda + ct * 16 + c0) =
              *reinterpret_cast<const uint4*>(g);
        }
        __syncwarp();
      }
    }
    cur ^= 1;
    __syncwarp();
  }
}

// dW (out x in) += dY^T X over the block's samples; tiles spread over the warps; the
// block's partial sums are added with atomics (split-K over samples).
__global__ void __launch_bounds__(kMlpBlockRows)
    mlp_weight_grad_kernel(const __half* __restrict__ d_pre, int out_dim, const __half* __restrict__ x, int in_dim,
                           int64_t n_pad, float* __restrict__ d_weights) {
  __shared__ __align__(32) float stage[kWarps][16 * 16];
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int64_t begin = static_cast<int64_t>(blockIdx.x) * kWeightGradRows;
  const int64_t end = begin + kWeightGradRows < n_pad ? begin + kWeightGradRows : n_pad;
  const int tiles_in = in_dim / 16, tiles = (out_dim / 16) * tiles_in;
  for (int tile = warp; tile < tiles; tile += kWarps) {
    const int ot = tile / tiles_in, it = tile % tiles_in;
    FragAcc acc;
    wmma::fill_fragment(acc, 0.f);
    for (int64_t s0 = begin; s0 < end; s0 += 16) {
      // dY^T: dY is row-major (samples x out), so its transpose is column-major.
      wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::col_major> a;
      wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b;
      wmma::load_matrix_sync(a, d_pre + s0 * out_dim + ot * 16, out_dim);
      wmma::load_matrix_sync(b, x + s0 * in_dim + it * 16, in_dim);
      wmma::mma_sync(acc, a, b, acc);
    }
    wmma::store_matrix_sync(stage[warp], acc, 16, wmma::mem_row_major);
    __syncwarp();
    for (int e = lane; e < 256; e += 32)
      atomicAdd(d_weights + (ot * 16 + e / 16) * in_dim + it * 16 + e % 16, stage[warp][e]);
    __syncwarp();
  }
}

void check_shape(const MlpShape& s) {
  auto ok = [](int w) { return w > 0 && w % 16 == 0 && w <= kMlpWidth; };
  if (!ok(s.inputs) || !ok(s.outputs) || s.hidden_layers < 1)
    throw std::invalid_argument("fused MLP: inputs and outputs must be padded to multiples of 16 up to " +
                                std::to_string(kMlpWidth) + ", with at least one hidden layer (got " +
                                std::to_string(s.inputs) + " -> " + std::to_string(s.outputs) + ", " +
                                std::to_string(s.hidden_layers) + " hidden layers)");
}

}  // namespace

int mlp_pre_activation_width(const MlpShape& shape) {
  int w = 0;
  for (int k = 0; k < shape.layers(); ++k) w += shape.layer_outputs(k);
  return w;
}

void mlp_forward(const MlpShape& shape, const __half* weights, const __half* in, int64_t n, float* out,
                 __half* hidden, cudaStream_t stream) {
  check_shape(shape);
  if (n <= 0) return;
  const int64_t n_pad = round_up_rows(n);
  const unsigned blocks = static_cast<unsigned>(n_pad / kMlpBlockRows);
  if (hidden)
    mlp_forward_kernel<true><<<blocks, kMlpBlockRows, 0, stream>>>(shape, weights, in, n, n_pad, out, hidden);
  else
    mlp_forward_kernel<false><<<blocks, kMlpBlockRows, 0, stream>>>(shape, weights, in, n, n_pad, out, nullptr);
  check(cudaGetLastError(), "mlp_forward_kernel");
}

void mlp_backward(const MlpShape& shape, const __half* weights, const __half* in, int64_t n, const __half* hidden,
                  const __half* d_out, __half* d_pre, float* d_in, float dx_scale, float* d_weights,
                  cudaStream_t stream) {
  check_shape(shape);
  if (n <= 0) return;
  const int64_t n_pad = round_up_rows(n);
  mlp_backward_kernel<<<static_cast<unsigned>(n_pad / kMlpBlockRows), kMlpBlockRows, 0, stream>>>(
      shape, weights, n, n_pad, hidden, d_out, d_pre, d_in, dx_scale);
  check(cudaGetLastError(), "mlp_backward_kernel");
  const unsigned blocks = static_cast<unsigned>((n_pad + kWeightGradRows - 1) / kWeightGradRows);
  int64_t pre_offset = 0;
  for (int k = 0; k < shape.layers(); ++k) {
    const int in_dim = shape.layer_inputs(k), out_dim = shape.layer_outputs(k);
    const __half* x = k == 0 ? in : hidden + (k - 1) * n_pad * kMlpWidth;
    mlp_weight_grad_kernel<<<blocks, kMlpBlockRows, 0, stream>>>(d_pre + pre_offset * n_pad, out_dim, x, in_dim,
                                                                 n_pad, d_weights + shape.layer_offset(k));
    check(cudaGetLastError(), "mlp_weight_grad_kernel");
    pre_offset += out_dim;
  }
}

}  // namespace nerds::cuda
