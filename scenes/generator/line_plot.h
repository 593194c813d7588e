// A line plot rasterized into an 8-bit RGB image (no plotting library): axes with ticks and
// numbers, axis labels, a title, one polyline per series with a marker at each point, a
// legend (in the corner the lines cross least), and optional dashed horizontal reference lines. Text uses the 5x7 bitmap font
// (upper case). `nerds race` draws PSNR against training time with it.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "renderer/data/image_io.h"
#include "scenes/generator/bitmap_text.h"

namespace nerds::scenes {

struct PlotSeries {
  std::string label;
  std::vector<double> x, y;  // the same length; a non-finite pair is skipped (the line breaks there)
  Rgb8 color = {31, 119, 180};
};

struct LinePlot {
  std::string title, x_label, y_label;
  std::vector<PlotSeries> series;
  std::vector<double> y_marks;  // dashed horizontal lines (e.g. PSNR thresholds), labelled at the right
  int width = 900, height = 560;
  // The axes' ranges; NaN: from the data (and the y marks), widened to whole tick steps.
  double x_min = std::numeric_limits<double>::quiet_NaN(), x_max = std::numeric_limits<double>::quiet_NaN();
  double y_min = std::numeric_limits<double>::quiet_NaN(), y_max = std::numeric_limits<double>::quiet_NaN();
};

// "Nice" tick values (steps of 1, 2 or 5 times a power of ten) covering [lo, hi] with about
// `target` intervals: the first tick <= lo, the last >= hi.
std::vector<double> nice_ticks(double lo, double hi, int target);

// Where a plot's data area lies in the image and how data coordinates map onto it: data x in
// [x0, x1] to pixel columns [left, right], data y in [y0, y1] to rows [bottom, top].
struct PlotFrame {
  int left = 0, top = 0, right = 0, bottom = 0;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  std::vector<double> x_ticks, y_ticks;
  double column(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  double row(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }
};
// The frame draw_line_plot uses for `plot`. Throws InputError for a size below 200 x 150 or
// series whose x and y differ in length.
PlotFrame line_plot_frame(const LinePlot& plot);

// The plot on a white background (RGB). Series colors come from the series; a plot without a
// finite point draws its axes over [0, 1].
Image8 draw_line_plot(const LinePlot& plot);

// Ten well-separated colors (Tableau 10), for series i % 10.
Rgb8 plot_color(size_t i);

}  // namespace nerds::scenes
