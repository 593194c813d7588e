// Turning a render's buffers into the picture the window shows for each render mode: the
// colors as rendered, depth and samples per ray through the Turbo color map, opacity in gray,
// and the error against a dataset view's ground truth (resampled to the render's size and put
// over the same background, as training sees it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

struct ColorImage {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;  // top row first
};

struct Colorized {
  ColorImage image;
  float range[2] = {0.f, 0.f};  // what the color map spans: depth (engine units), samples, error
  double mse = -1.0;            // against the ground truth, when there is one (-1: none)
  std::string note;             // why a mode could not be shown (then the RGB image is)
};

// Turbo (Mikhailov 2019, polynomial fit) of x in [0, 1] to 8-bit RGB.
void turbo(float x, uint8_t rgb[3]);

// The ground truth of a dataset frame over `background`, box-resampled to width x height
// (RGB floats in [0, 1], top row first).
std::vector<float> ground_truth_rgb(const Dataset& data, size_t frame, const float background[3], int width,
                                    int height);

// `truth`: the ground truth at the image's size (ground_truth_rgb), or empty when the view is
// not a dataset camera.
Colorized colorize(const RenderedImage& image, RenderMode mode, const std::vector<float>& truth);

// A float RGB image (ground truth) as RGBA8.
ColorImage to_color_image(const std::vector<float>& rgb, int width, int height);

}  // namespace nerds::viewer
