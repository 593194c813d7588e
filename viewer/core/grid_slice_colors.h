// A slice through a grid level's features (Engine::grid_slice) as a picture. Each feature
// channel is normalised on its own, per level, robustly: divided by the 99th percentile of its
// absolute values over the slice (a few extreme entries, such as hash collisions, do not wash
// the rest out), clamped to [-1, 1], zero staying zero. Then F = 1: a blue-white-red diverging
// map; F = 2: a two-channel map on grey (channel 0 to red, channel 1 to blue, green falls with
// their sum: 0/0 is mid grey, so untouched entries stand out); F >= 3: the first three channels
// as red, green, blue around mid grey.
#pragma once

#include <vector>

#include "renderer/engine.h"
#include "viewer/core/image_colors.h"

namespace nerds::viewer {

struct GridSliceColors {
  ColorImage image;
  std::vector<float> scale;  // per channel shown: the value that maps to the colour's full strength
};

// The 99th percentile of |values[c + k * stride]| over k (0 when empty).
float robust_abs_scale(const std::vector<float>& values, int channel, int stride);

GridSliceColors colorize_grid_slice(const GridSlice& slice);

}  // namespace nerds::viewer
