// What an encoding reads of each sample's footprint (its pixel's cone over the sample's
// interval), and so what the callers hand it besides the position (sample_buffer.h,
// encoding_footprints): nothing (points), Mip-NeRF's Gaussian (its mean as the position, the
// covariance diagonal as 3 floats), or Zip-NeRF's points around the cone's axis (K points of
// 4 floats: position and isotropic scale; K = 6 multisamples, or 1: the sample's own point).
#pragma once

namespace nerds {

enum class FootprintKind : int { None = 0, Gaussian = 1, ZipPoint = 2, ZipMultisample = 3 };

// Points per sample of the Zip-NeRF kinds (1 or kZipMultisamples), 0 for the others.
constexpr int kZipMultisamples = 6;
inline int zip_points_per_sample(FootprintKind kind) {
  return kind == FootprintKind::ZipMultisample ? kZipMultisamples : kind == FootprintKind::ZipPoint ? 1 : 0;
}
// Floats per sample of the footprint an encoding of this kind reads.
inline int footprint_width(FootprintKind kind) {
  return kind == FootprintKind::Gaussian ? 3 : 4 * zip_points_per_sample(kind);
}

}  // namespace nerds
