// The MLPs' register-blocked products (renderer/backend/small_gemm.h) against plain loops:
// the weight gradient C += G X^T for every row count the kernel takes, input widths that are
// and are not a multiple of its column block, strided inputs and a block of C's columns.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/backend/small_gemm.h"
#include "renderer/math/rng.h"

using namespace nerds;

TEST_CASE("small_gemm_weight_gradient: C += G X^T as a plain sum over the samples") {
  Pcg32 rng(3, 1);
  for (int M : {16, 32, 48, 64}) {
    for (int K : {3, 12, 32, 67}) {
      CAPTURE(M);
      CAPTURE(K);
      const int n = 37, ldg = M + 5, ldx = K + 2, ldc = M + 3, c_cols = K + 4;
      std::vector<float> G(static_cast<size_t>(ldg) * n), X(static_cast<size_t>(ldx) * n);
      std::vector<float> C(static_cast<size_t>(ldc) * c_cols);
      for (float& v : G) v = rng.next_float() - 0.5f;
      for (float& v : X) v = rng.next_float() - 0.5f;
      for (float& v : C) v = rng.next_float() - 0.5f;
      std::vector<float> expected = C;
      // Columns [2, 2 + K) of C: a block of a wider matrix, as the skip layer's.
      for (int k = 0; k < K; ++k)
        for (int i = 0; i < M; ++i) {
          double sum = 0.0;
          for (int j = 0; j < n; ++j) sum += static_cast<double>(G[j * ldg + i]) * X[j * ldx + k];
          expected[(2 + k) * ldc + i] += static_cast<float>(sum);
        }
      const bool handled = small_gemm_weight_gradient(G.data(), M, ldg, X.data(), K, ldx, n, C.data() + 2 * ldc, ldc);
#if defined(__AVX512F__)
      REQUIRE(handled);
#else
      REQUIRE_FALSE(handled);
      continue;
#endif
      for (size_t e = 0; e < C.size(); ++e) {
        CAPTURE(e);
        CHECK(C[e] == doctest::Approx(expected[e]).epsilon(1e-5));
      }
    }
  }
  std::vector<float> G(3 * 4), X(8 * 4), C(3 * 8);
  CHECK_FALSE(small_gemm_weight_gradient(G.data(), 3, 3, X.data(), 8, 8, 4, C.data(), 3));  // 3 rows: Eigen's
}
