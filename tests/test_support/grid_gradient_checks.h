// What the explicit grids' gradient tests share (Plenoxels, DVGO, TensoRF): an encoding's
// outputs at points, the test loss L = sum_k c[k] out[k] (its gradient with respect to the
// outputs is c, what the backward slices take), the same through a whole network
// (L = a . sigma + b . rgb), and L's central difference in one entry of a named tensor.
#pragma once

#include <vector>

#include "renderer/math/rng.h"
#include "renderer/model/param_tensor.h"
#include "renderer/techniques/encodings/position_encoding.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "tests/test_support/numeric.h"

namespace nerds_test {

// The encoding's outputs (width() per point) at the points pos (x, y, z each).
inline std::vector<float> encode_points(const nerds::PositionEncoding& e, const std::vector<float>& pos) {
  const int n = static_cast<int>(pos.size() / 3);
  std::vector<float> out(static_cast<size_t>(n) * e.width());
  e.encode(pos.data(), nullptr, n, out.data(), e.width());
  return out;
}

// size numbers uniform in [lo, hi) from rng: the loss's weights.
inline std::vector<float> uniform_weights(size_t size, nerds::Pcg32& rng, float lo, float hi) {
  std::vector<float> w(size);
  for (float& v : w) v = lo + (hi - lo) * rng.next_float();
  return w;
}

// sum_k c[k] out[k], in double.
inline double weighted_sum(const std::vector<float>& c, const std::vector<float>& out) {
  double l = 0.0;
  for (size_t k = 0; k < out.size(); ++k) l += static_cast<double>(c[k]) * out[k];
  return l;
}

// L = a . sigma + b . rgb of the network's forward pass at (pos, dir), in a workspace of its own.
inline double network_weighted_sum(const nerds::NerfNetwork& net, const std::vector<float>& pos,
                                   const std::vector<float>& dir, const std::vector<float>& a,
                                   const std::vector<float>& b) {
  const int n = static_cast<int>(pos.size() / 3);
  nerds::NetworkWorkspace w;
  std::vector<float> sigma(n), rgb(3 * static_cast<size_t>(n));
  net.forward(pos.data(), dir.data(), n, w, sigma.data(), rgb.data());
  return weighted_sum(a, sigma) + weighted_sum(b, rgb);
}

// dL/d(entry k of t) by the central difference with step h; the entry is restored.
template <class Loss>
double entry_difference(const nerds::ParamTensor& t, size_t k, float h, Loss loss) {
  return central_difference([&](float v) { t.values[k] = v; }, loss, t.values[k], h);
}

}  // namespace nerds_test
