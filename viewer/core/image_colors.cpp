#include "viewer/core/image_colors.h"

#include <algorithm>
#include <cmath>

#include "viewer/core/layer_colors.h"

namespace nerds::viewer {

namespace {

uint8_t to_byte(float v) { return static_cast<uint8_t>(std::clamp(v, 0.f, 1.f) * 255.f + 0.5f); }

void put(ColorImage& img, size_t i, const uint8_t rgb[3]) {
  img.rgba[4 * i + 0] = rgb[0];
  img.rgba[4 * i + 1] = rgb[1];
  img.rgba[4 * i + 2] = rgb[2];
  img.rgba[4 * i + 3] = 255;
}

// Below this opacity a ray hit nothing: depth is meaningless there.
constexpr float kHitOpacity = 0.05f;
// The error map spans a mean absolute error of 0 to this (per channel, colors in [0, 1]).
constexpr float kErrorSpan = 0.25f;

void color_rgb(const RenderBuffers& b, ColorImage& img) {
  for (size_t i = 0; i < b.opacity.size(); ++i) {
    const uint8_t c[3] = {to_byte(b.rgb[3 * i]), to_byte(b.rgb[3 * i + 1]), to_byte(b.rgb[3 * i + 2])};
    put(img, i, c);
  }
}

void color_depth(const RenderBuffers& b, ColorImage& img, float range[2]) {
  float lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < b.opacity.size(); ++i) {
    if (b.opacity[i] < kHitOpacity) continue;
    const float d = b.depth[i] / b.opacity[i];  // depth is sum w t: the mean over the hit part
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  if (!(hi >= lo)) lo = hi = 0.f;
  range[0] = lo;
  range[1] = hi;
  const float span = hi > lo ? hi - lo : 1.f;
  for (size_t i = 0; i < b.opacity.size(); ++i) {
    uint8_t c[3] = {0, 0, 0};
    if (b.opacity[i] >= kHitOpacity) {
      turbo((b.depth[i] / b.opacity[i] - lo) / span, c);
      for (uint8_t& v : c) v = static_cast<uint8_t>(v * std::min(b.opacity[i], 1.f));  // fade the fringe
    }
    put(img, i, c);
  }
}

void color_opacity(const RenderBuffers& b, ColorImage& img) {
  for (size_t i = 0; i < b.opacity.size(); ++i) {
    const uint8_t g = to_byte(b.opacity[i]);
    const uint8_t c[3] = {g, g, g};
    put(img, i, c);
  }
}

void color_samples(const RenderBuffers& b, ColorImage& img, float range[2]) {
  int most = 1;
  for (int n : b.samples) most = std::max(most, n);
  range[0] = 0.f;
  range[1] = static_cast<float>(most);
  for (size_t i = 0; i < b.samples.size(); ++i) {
    uint8_t c[3] = {0, 0, 0};
    if (b.samples[i] > 0) turbo(static_cast<float>(b.samples[i]) / most, c);
    put(img, i, c);
  }
}

double color_error(const RenderBuffers& b, const std::vector<float>& truth, ColorImage& img, float range[2]) {
  double sum = 0.0;
  range[0] = 0.f;
  range[1] = kErrorSpan;
  for (size_t i = 0; i < b.opacity.size(); ++i) {
    float abs_sum = 0.f;
    for (int k = 0; k < 3; ++k) {
      const float d = b.rgb[3 * i + k] - truth[3 * i + k];
      sum += static_cast<double>(d) * d;
      abs_sum += std::fabs(d);
    }
    uint8_t c[3];
    turbo(abs_sum / 3.f / kErrorSpan, c);
    put(img, i, c);
  }
  return b.opacity.empty() ? -1.0 : sum / (3.0 * b.opacity.size());
}

}  // namespace

void turbo(float x, uint8_t rgb[3]) {
  // Polynomial approximation of Turbo (Google AI Blog, 2019), accurate to about 1%.
  x = std::isfinite(x) ? std::clamp(x, 0.f, 1.f) : 0.f;
  const float x2 = x * x, x3 = x2 * x, x4 = x2 * x2, x5 = x4 * x;
  const float r =
      0.13572138f + 4.61539260f * x - 42.66032258f * x2 + 132.13108234f * x3 - 152.94239396f * x4 + 59.28637943f * x5;
  const float g =
      0.09140261f + 2.19418839f * x + 4.84296658f * x2 - 14.18503333f * x3 + 4.27729857f * x4 + 2.82956604f * x5;
  const float b =
      0.10667330f + 12.64194608f * x - 60.58204836f * x2 + 110.36276771f * x3 - 89.90310912f * x4 + 27.34824973f * x5;
  rgb[0] = to_byte(r);
  rgb[1] = to_byte(g);
  rgb[2] = to_byte(b);
}

std::vector<float> ground_truth_rgb(const Dataset& data, size_t frame, const float background[3], int width,
                                    int height) {
  std::vector<float> out(3 * static_cast<size_t>(width) * height, 0.f);
  if (frame >= data.frames.size() || data.rgba.empty() || width <= 0 || height <= 0) return out;
  const uint8_t* src = data.image(frame);
  const int sw = data.frame_images[frame].width, sh = data.frame_images[frame].height;  // frames may differ in size
  for (int y = 0; y < height; ++y) {
    // The source pixels this output pixel covers (at least one).
    const int y0 = y * sh / height, y1 = std::max(y0 + 1, (y + 1) * sh / height);
    for (int x = 0; x < width; ++x) {
      const int x0 = x * sw / width, x1 = std::max(x0 + 1, (x + 1) * sw / width);
      float acc[3] = {0.f, 0.f, 0.f};
      for (int sy = y0; sy < y1; ++sy) {
        for (int sx = x0; sx < x1; ++sx) {
          const uint8_t* p = src + (static_cast<size_t>(sy) * sw + sx) * 4;
          const float a = p[3] / 255.f;  // straight alpha, composited as the trainer does
          for (int k = 0; k < 3; ++k) acc[k] += p[k] / 255.f * a + background[k] * (1.f - a);
        }
      }
      const float n = static_cast<float>((y1 - y0) * (x1 - x0));
      for (int k = 0; k < 3; ++k) out[3 * (static_cast<size_t>(y) * width + x) + k] = acc[k] / n;
    }
  }
  return out;
}

Colorized colorize(const RenderedImage& image, RenderMode mode, const std::vector<float>& truth) {
  Colorized c;
  const RenderBuffers& b = image.buffers;
  c.image.width = image.intrinsics.width;
  c.image.height = image.intrinsics.height;
  c.image.rgba.assign(4 * b.opacity.size(), 255);
  const bool have_truth = truth.size() == b.rgb.size() && !truth.empty();
  if (have_truth && mode != RenderMode::Error) {
    float unused[2];
    ColorImage scratch = c.image;
    c.mse = color_error(b, truth, scratch, unused);
  }
  switch (mode) {
    case RenderMode::Rgb:
      color_rgb(b, c.image);
      break;
    case RenderMode::Depth:
      color_depth(b, c.image, c.range);
      break;
    case RenderMode::Opacity:
      color_opacity(b, c.image);
      c.range[1] = 1.f;
      break;
    case RenderMode::Samples:
      color_samples(b, c.image, c.range);
      break;
    case RenderMode::Error:
      if (have_truth) {
        c.mse = color_error(b, truth, c.image, c.range);
      } else {
        c.note = "the error needs a dataset camera: snap to one ([ or ])";
        color_rgb(b, c.image);
      }
      break;
    default: {  // a layer beyond colour (layer_colors.h)
      const std::vector<float> rgb = layer_rgb(image, mode, c.range);
      if (rgb.empty()) {
        c.note = "this image has no such layer (the model lacks it, or it is being rendered): colour shown";
        color_rgb(b, c.image);
      } else {
        c.image = to_color_image(rgb, c.image.width, c.image.height);
      }
      break;
    }
  }
  return c;
}

ColorImage to_color_image(const std::vector<float>& rgb, int width, int height) {
  ColorImage img;
  img.width = width;
  img.height = height;
  img.rgba.assign(4 * static_cast<size_t>(width) * height, 255);
  for (size_t i = 0; i < static_cast<size_t>(width) * height && 3 * i + 2 < rgb.size(); ++i) {
    const uint8_t c[3] = {to_byte(rgb[3 * i]), to_byte(rgb[3 * i + 1]), to_byte(rgb[3 * i + 2])};
    put(img, i, c);
  }
  return img;
}

}  // namespace nerds::viewer
