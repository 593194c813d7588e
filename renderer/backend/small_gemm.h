// C = W * X for the MLPs' thin products on the CPU: W is a small column-major matrix
// (M x K, M a multiple of 16 up to 64, K the layer input), X and C are column-major batches
// (one column per sample). Eigen's general GEMM packs X on every call and blocks 48 rows at
// a time; this kernel keeps a block of output columns in AVX-512 registers and streams X
// once, which is what these shapes need. Optional fusions: ReLU on the output, or the ReLU
// backward mask (C = 0 where mask <= 0). small_gemm_weight_gradient is the backward's other
// thin product, a layer's weight gradient C += G X^T, summed over the batch's samples. Without
// AVX-512 both fall back to Eigen.
#pragma once

namespace nerds {

// Returns false (and does nothing) when the shape is not one this kernel handles.
bool small_gemm(const float* W, int M, int K, const float* X, int ldx, float* C, int ldc, int n, bool relu,
                const float* mask, int ld_mask);

// C += G X^T: G (M x n, leading dimension ldg: dL/d(layer output) per sample), X (K x n,
// leading dimension ldx: the layer's input per sample), C (M x K, column-major, leading
// dimension ldc). Each entry of C adds its n terms to itself in sample order. Returns false (and does
// nothing) when M is not a multiple of 16 up to 64.
bool small_gemm_weight_gradient(const float* G, int M, int ldg, const float* X, int K, int ldx, int n, float* C,
                                int ldc);

}  // namespace nerds
