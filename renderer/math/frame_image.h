// Where each frame's image lies in a dataset's pixel array, as plain data both backends read.
// Images may differ in size (Mip-NeRF's multiscale Blender holds every view at 1/1, 1/2, 1/4
// and 1/8 resolution, Barron et al. 2021, Sec. 4), so they lie back to back in frame order and
// each records where it starts.
#pragma once

#include <cstdint>

#include "renderer/math/hd.h"

namespace nerds {

struct FrameImage {
  uint64_t first_pixel = 0;  // index of its first pixel in the dataset's array (RGBA8 at rgba[4 * first_pixel])
  int width = 0, height = 0;
  // Mip-NeRF's per-pixel loss weight: the pixel's area in full-resolution pixels (1, 4, 16, 64
  // in the multiscale Blender's "lossmult"); 1 for a single-scale dataset.
  float lossmult = 1.f;
};

NERDS_HD uint64_t pixel_count(const FrameImage& f) { return static_cast<uint64_t>(f.width) * f.height; }

// The frame holding pixel `pixel` of the array, i.e. the last i with images[i].first_pixel <=
// pixel (binary search; the frames lie in order). `pixel` must be below the array's size.
NERDS_HD int frame_holding_pixel(const FrameImage* images, int n_images, uint64_t pixel) {
  int lo = 0, hi = n_images - 1;  // the answer lies in [lo, hi]
  while (lo < hi) {
    const int mid = lo + (hi - lo + 1) / 2;
    if (images[mid].first_pixel <= pixel) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

}  // namespace nerds
