// The MLPs on the GPU, in the spirit of tiny-cuda-nn's FullyFusedMLP (Müller et al., "Real-time
// Neural Radiance Caching for Path Tracing", 2021): a block of 4 warps takes 128 samples and
// keeps their activations in shared memory through every layer; each warp owns 32 samples, so
// layers follow each other without block-wide barriers; the products run on tensor cores
// (WMMA 16x16x16, half inputs, float accumulation).
//
// Layout: hidden width 64; the input and output widths are padded to multiples of 16 (at most
// 64). Weights are half, layer after layer, each row-major (outputs x inputs) and padded
// with zeros. Per-sample matrices have n_pad = round_up(n, 128) rows, row-major; the rows at
// and past n are zero (every producer writes them so), which keeps the padded samples out of
// the weight gradients.
#pragma once

#include <cuda_fp16.h>

#include <cstdint>
#include <vector>

namespace nerds::cuda {

constexpr int kMlpWidth = 64;
constexpr int kMlpBlockRows = 128;  // samples per block: 4 warps x 32

inline int64_t round_up_rows(int64_t n) { return (n + kMlpBlockRows - 1) / kMlpBlockRows * kMlpBlockRows; }
inline int round_up16(int n) { return (n + 15) / 16 * 16; }

struct MlpShape {
  int inputs = 32;   // padded, multiple of 16, <= 64
  int outputs = 16;  // padded, multiple of 16, <= 64
  int hidden_layers = 1;
  __host__ __device__ int layers() const { return hidden_layers + 1; }
  __host__ __device__ int layer_inputs(int k) const { return k == 0 ? inputs : kMlpWidth; }
  __host__ __device__ int layer_outputs(int k) const { return k == hidden_layers ? outputs : kMlpWidth; }
  __host__ __device__ int64_t layer_offset(int k) const {  // first weight of layer k
    int64_t o = 0;
    for (int i = 0; i < k; ++i) o += static_cast<int64_t>(layer_inputs(i)) * layer_outputs(i);
    return o;
  }
  __host__ __device__ int64_t weight_count() const { return layer_offset(layers()); }
};

// out = MLP(in) for n samples. in: n_pad x inputs (half); out: n x outputs (float, the rows
// past n are not written). hidden (training only, else null): hidden_layers matrices of
// n_pad x 64 (half), the post-ReLU activations the backward pass needs.
void mlp_forward(const MlpShape& shape, const __half* weights, const __half* in, int64_t n, float* out,
                 __half* hidden, cudaStream_t stream);

// Backward of mlp_forward. d_out: n_pad x outputs (half, already multiplied by the loss
// scale). Writes every layer's dL/d(pre-activation) to d_pre (layer after layer, n_pad x
// layer_outputs(k) each), and when d_in is not null, dx_scale * dL/d(in) to d_in (n_pad x
// inputs, float). Then accumulates dW (float, weight_count values, loss-scaled) from d_pre.
void mlp_backward(const MlpShape& shape, const __half* weights, const __half* in, int64_t n, const __half* hidden,
                  const __half* d_out, __half* d_pre, float* d_in, float dx_scale, float* d_weights,
                  cudaStream_t stream);

// Halves per sample of d_pre for a shape (the sum of layer_outputs).
int mlp_pre_activation_width(const MlpShape& shape);

}  // namespace nerds::cuda
