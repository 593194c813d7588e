// Intrinsics the viewer derives from the window and from dataset cameras: the free camera's
// pinhole for a field of view, the smaller images of progressive rendering, a band of rows of
// an image and a single pixel (Engine::render renders exactly what the intrinsics describe,
// so a band or a pixel of a view is rendered by shifting the principal point), and where an
// image sits in a screen rectangle.
#pragma once

#include "renderer/engine.h"

namespace nerds::viewer {

// A pinhole camera of width x height pixels with a vertical field of view (square pixels,
// principal point at the center): renderer/math/camera.h's, which `nerds render --path` shares.
using nerds::intrinsics_for_fov;
// The vertical field of view of a camera (degrees).
float fov_y_deg_of(const Intrinsics& k);

// The same view at 1/divisor of the resolution (at least 1x1).
Intrinsics downscaled(const Intrinsics& k, int divisor);
// Rows [y0, y0 + rows) of the view as an image of their own.
Intrinsics band_of(const Intrinsics& k, int y0, int rows);
// A 1x1 image whose one pixel center is the point (px, py) of the view.
Intrinsics pixel_of(const Intrinsics& k, float px, float py);

// A screen rectangle in pixels (origin top-left, y down).
struct Rect {
  float x = 0.f, y = 0.f, w = 0.f, h = 0.f;
  bool contains(float px, float py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};
// The largest rectangle of the image's aspect ratio centered in `area` (letterboxing).
Rect fit_rect(const Rect& area, int image_width, int image_height);
// The image point (pixels of an image of width x height) under screen point (sx, sy) of the
// rectangle the image is drawn in; false outside it.
bool screen_to_image(const Rect& image_rect, int width, int height, float sx, float sy, float* px, float* py);

}  // namespace nerds::viewer
