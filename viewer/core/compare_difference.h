// Compare mode's difference view: |A - B| of the two arms' images as the render mode shows
// them (so the difference of depth maps, of error maps, ... in that mode's colours), the mean
// absolute difference over the channels through the Turbo colour map from 0 to `span`.
#pragma once

#include "viewer/core/image_colors.h"

namespace nerds::viewer {

struct DifferenceImage {
  ColorImage image;  // empty when the two images differ in size
  float span = 0.f;  // the difference (0..1 of the colour range) at the top of the colour map
  float mean = 0.f;  // the mean difference over the image
};

// `a` and `b`: the arms' images in the same mode and at the same size. The colour map spans 0
// to the largest difference (at least 1/255, so two equal images stay dark).
DifferenceImage difference_image(const ColorImage& a, const ColorImage& b);

}  // namespace nerds::viewer
