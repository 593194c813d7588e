#include "renderer/techniques/tensorf/grid_resample.h"

#include <stdexcept>

#include "renderer/math/grid_taps.h"

namespace nerds {

std::vector<float> resample_axis(const std::vector<float>& data, size_t outer, int n, int n_new, size_t inner) {
  if (n < 2 || n_new < 2) throw std::invalid_argument("resample_axis: a grid axis needs two nodes at least");
  if (data.size() != outer * static_cast<size_t>(n) * inner)
    throw std::invalid_argument("resample_axis: the data is not [outer][n][inner]");
  std::vector<float> out(outer * static_cast<size_t>(n_new) * inner);
  for (int j = 0; j < n_new; ++j) {
    const GridTap t = grid_tap(static_cast<float>(j) / static_cast<float>(n_new - 1), n);
    for (size_t o = 0; o < outer; ++o) {
      const float* lo = data.data() + (o * n + t.i) * inner;
      const float* hi = lo + inner;
      float* dst = out.data() + (o * n_new + j) * inner;
      for (size_t k = 0; k < inner; ++k) dst[k] = (1.f - t.w) * lo[k] + t.w * hi[k];
    }
  }
  return out;
}

}  // namespace nerds
