#include "renderer/backend/small_gemm.h"

#if defined(__AVX512F__)
#include <immintrin.h>
// GCC 12 reports the intrinsics' own undefined-vector temporaries as maybe-uninitialized.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace nerds {

#if defined(__AVX512F__)
namespace {

// MB: 16-row blocks of the output (M = 16 * MB); NB: output columns per register block, so
// that MB * NB accumulators fit in the 32 zmm registers with room for the W column.
template <int MB, int NB>
inline void block(const float* W, int K, const float* X, int ldx, float* C, int ldc, bool relu, const float* mask,
                  int ld_mask) {
  constexpr int M = 16 * MB;
  __m512 acc[NB][MB];
  for (int c = 0; c < NB; ++c)
    for (int b = 0; b < MB; ++b) acc[c][b] = _mm512_setzero_ps();
  for (int k = 0; k < K; ++k) {
    __m512 w[MB];
    for (int b = 0; b < MB; ++b) w[b] = _mm512_loadu_ps(W + k * M + 16 * b);
    for (int c = 0; c < NB; ++c) {
      const __m512 x = _mm512_set1_ps(X[c * ldx + k]);
      for (int b = 0; b < MB; ++b) acc[c][b] = _mm512_fmadd_ps(w[b], x, acc[c][b]);
    }
  }
  const __m512 zero = _mm512_setzero_ps();
  for (int c = 0; c < NB; ++c)
    for (int b = 0; b < MB; ++b) {
      __m512 v = acc[c][b];
      if (relu) v = _mm512_max_ps(v, zero);
      if (mask) {
        const __mmask16 keep = _mm512_cmp_ps_mask(_mm512_loadu_ps(mask + c * ld_mask + 16 * b), zero, _CMP_GT_OQ);
        v = _mm512_maskz_mov_ps(keep, v);
      }
      _mm512_storeu_ps(C + c * ldc + 16 * b, v);
    }
}

template <int MB>
void gemm_rows(const float* W, int K, const float* X, int ldx, float* C, int ldc, int n, bool relu, const float* mask,
               int ld_mask) {
  constexpr int NB = MB == 1 ? 12 : (MB == 2 ? 10 : (MB == 3 ? 7 : 6));
  int j = 0;
  for (; j + NB <= n; j += NB)
    block<MB, NB>(W, K, X + static_cast<long>(j) * ldx, ldx, C + static_cast<long>(j) * ldc, ldc, relu,
                  mask ? mask + static_cast<long>(j) * ld_mask : nullptr, ld_mask);
  for (; j < n; ++j)
    block<MB, 1>(W, K, X + static_cast<long>(j) * ldx, ldx, C + static_cast<long>(j) * ldc, ldc, relu,
                 mask ? mask + static_cast<long>(j) * ld_mask : nullptr, ld_mask);
}

// C[:, k0 .. k0 + NB) += G X[k0 .. k0 + NB, :]^T, M = 16 * MB: the NB columns of C stay in
// registers while the samples stream by, each sample's gradient column loaded once and
// multiplied by NB broadcast inputs; each entry adds its samples' terms to C one after another.
template <int MB, int NB>
inline void weight_gradient_block(const float* G, int ldg, const float* X, int ldx, int n, float* C, int ldc) {
  __m512 acc[NB][MB];
  for (int c = 0; c < NB; ++c)
    for (int b = 0; b < MB; ++b) acc[c][b] = _mm512_loadu_ps(C + static_cast<long>(c) * ldc + 16 * b);
  for (int j = 0; j < n; ++j) {
    __m512 g[MB];
    for (int b = 0; b < MB; ++b) g[b] = _mm512_loadu_ps(G + static_cast<long>(j) * ldg + 16 * b);
    for (int c = 0; c < NB; ++c) {
      const __m512 x = _mm512_set1_ps(X[static_cast<long>(j) * ldx + c]);
      for (int b = 0; b < MB; ++b) acc[c][b] = _mm512_fmadd_ps(g[b], x, acc[c][b]);
    }
  }
  for (int c = 0; c < NB; ++c)
    for (int b = 0; b < MB; ++b) _mm512_storeu_ps(C + static_cast<long>(c) * ldc + 16 * b, acc[c][b]);
}

// The last K % NB columns in one pass over the samples (one pass per column would stream G
// again for each).
template <int MB, int R>
void weight_gradient_rest(int rest, const float* G, int ldg, const float* X, int ldx, int n, float* C, int ldc) {
  if constexpr (R > 0) {
    if (rest == R) return weight_gradient_block<MB, R>(G, ldg, X, ldx, n, C, ldc);
    weight_gradient_rest<MB, R - 1>(rest, G, ldg, X, ldx, n, C, ldc);
  }
}

template <int MB>
void weight_gradient_rows(const float* G, int ldg, const float* X, int K, int ldx, int n, float* C, int ldc) {
  constexpr int NB = MB == 1 ? 12 : (MB == 2 ? 10 : (MB == 3 ? 7 : 6));
  // Samples in blocks whose G and X columns stay in L1 while every block of C's columns passes
  // over them (one pass over all samples per block of columns would stream G from L2 each time).
  constexpr int kSamples = 64;
  for (int j0 = 0; j0 < n; j0 += kSamples) {
    const int nj = n - j0 < kSamples ? n - j0 : kSamples;
    const float* Gj = G + static_cast<long>(j0) * ldg;
    const float* Xj = X + static_cast<long>(j0) * ldx;
    int k = 0;
    for (; k + NB <= K; k += NB) weight_gradient_block<MB, NB>(Gj, ldg, Xj + k, ldx, nj, C + static_cast<long>(k) * ldc, ldc);
    weight_gradient_rest<MB, NB - 1>(K - k, Gj, ldg, Xj + k, ldx, nj, C + static_cast<long>(k) * ldc, ldc);
  }
}

}  // namespace

bool small_gemm_weight_gradient(const float* G, int M, int ldg, const float* X, int K, int ldx, int n, float* C,
                                int ldc) {
  switch (M) {
    case 16: weight_gradient_rows<1>(G, ldg, X, K, ldx, n, C, ldc); return true;
    case 32: weight_gradient_rows<2>(G, ldg, X, K, ldx, n, C, ldc); return true;
    case 48: weight_gradient_rows<3>(G, ldg, X, K, ldx, n, C, ldc); return true;
    case 64: weight_gradient_rows<4>(G, ldg, X, K, ldx, n, C, ldc); return true;
    default: return false;
  }
}

bool small_gemm(const float* W, int M, int K, const float* X, int ldx, float* C, int ldc, int n, bool relu,
                const float* mask, int ld_mask) {
  switch (M) {
    case 16: gemm_rows<1>(W, K, X, ldx, C, ldc, n, relu, mask, ld_mask); return true;
    case 32: gemm_rows<2>(W, K, X, ldx, C, ldc, n, relu, mask, ld_mask); return true;
    case 48: gemm_rows<3>(W, K, X, ldx, C, ldc, n, relu, mask, ld_mask); return true;
    case 64: gemm_rows<4>(W, K, X, ldx, C, ldc, n, relu, mask, ld_mask); return true;
    default: return false;
  }
}

#else

bool small_gemm(const float*, int, int, const float*, int, float*, int, int, bool, const float*, int) { return false; }
bool small_gemm_weight_gradient(const float*, int, int, const float*, int, int, int, float*, int) { return false; }

#endif

}  // namespace nerds
