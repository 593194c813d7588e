// The largest value within `radius` nodes along every axis (a box of side 2 radius + 1, cut at the
// grid's faces) of an n^3 grid stored x fastest, in place: Plenoxels' pruning dilation (keep a node
// near a dense one, svox2's dilate) and DVGO's 3x3x3 max pool of the coarse density (its MaskGrid).
// Separable: one pass per axis, each a 1-D max over the node's neighbours on that axis.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nerds {

template <class T>
void box_max_filter(std::vector<T>& values, int64_t n, int radius) {
  if (radius <= 0) return;
  std::vector<T> out(values.size());
  const int64_t stride[3] = {1, n, n * n};
  for (int a = 0; a < 3; ++a) {
    for (size_t c = 0; c < values.size(); ++c) {
      const int64_t coord = (static_cast<int64_t>(c) / stride[a]) % n;
      T v = values[c];
      for (int64_t d = -radius; d <= radius; ++d) {
        const int64_t q = coord + d;
        if (q >= 0 && q < n) v = std::max(v, values[static_cast<size_t>(static_cast<int64_t>(c) + d * stride[a])]);
      }
      out[c] = v;
    }
    values.swap(out);
  }
}

}  // namespace nerds
