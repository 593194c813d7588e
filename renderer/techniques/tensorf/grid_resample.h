// Resampling a grid factor to another resolution along one axis by linear interpolation with
// the end nodes on the ends (align_corners=True), as TensoRF's upsample_volume_grid does with
// F.interpolate (bilinear for the planes, linear for the lines). Separable: a plane resampled
// along both of its axes is its bilinear resampling; a 3D grid (Plenoxels, DVGO) along all three.
#pragma once

#include <cstddef>
#include <vector>

namespace nerds {

// `data` laid out [outer][n][inner] (inner fastest): returns [outer][n_new][inner], node j of
// the new axis read at x = j / (n_new - 1) of the old one. n, n_new >= 2.
std::vector<float> resample_axis(const std::vector<float>& data, size_t outer, int n, int n_new, size_t inner);

}  // namespace nerds
