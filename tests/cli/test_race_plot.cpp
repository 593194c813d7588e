// The line-plot rasterizer `nerds race` draws its PSNR curves with (scenes/generator/line_plot.h):
// tick values, the data-to-pixel frame, a known line through the pixels the frame predicts,
// a gap where a point is missing, and the labels' text.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/error.h"
#include "scenes/generator/bitmap_text.h"
#include "scenes/generator/line_plot.h"

using nerds::scenes::LinePlot;
using nerds::scenes::PlotSeries;
using nerds::scenes::Rgb8;

namespace {

Rgb8 pixel(const nerds::Image8& image, int x, int y) {
  const uint8_t* p = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 3];
  return {p[0], p[1], p[2]};
}

constexpr Rgb8 kRed = {200, 0, 0};

LinePlot diagonal_plot(std::vector<double> x, std::vector<double> y) {
  LinePlot plot;
  plot.x_min = 0;
  plot.x_max = 10;
  plot.y_min = 0;
  plot.y_max = 10;
  PlotSeries s;
  s.x = std::move(x);
  s.y = std::move(y);
  s.color = kRed;
  plot.series.push_back(s);
  return plot;
}

}  // namespace

TEST_CASE("line plot: nice ticks are steps of 1, 2 or 5 times a power of ten covering the range") {
  CHECK(nerds::scenes::nice_ticks(0, 10, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(nerds::scenes::nice_ticks(0, 120, 6) == std::vector<double>{0, 20, 40, 60, 80, 100, 120});
  const std::vector<double> psnr = nerds::scenes::nice_ticks(11.3, 31.7, 6);
  CHECK(psnr.front() == doctest::Approx(10));
  CHECK(psnr.back() == doctest::Approx(35));
  CHECK(psnr[1] - psnr[0] == doctest::Approx(5));
}

TEST_CASE("line plot: a line from (0, 0) to (10, 10) covers the pixels the frame maps its points to") {
  const LinePlot plot = diagonal_plot({0, 10}, {0, 10});
  const nerds::scenes::PlotFrame f = nerds::scenes::line_plot_frame(plot);
  REQUIRE(f.left < f.right);
  REQUIRE(f.top < f.bottom);
  CHECK(f.column(0) == doctest::Approx(f.left));
  CHECK(f.column(10) == doctest::Approx(f.right));
  CHECK(f.row(0) == doctest::Approx(f.bottom));
  CHECK(f.row(10) == doctest::Approx(f.top));
  const nerds::Image8 image = nerds::scenes::draw_line_plot(plot);
  REQUIRE(image.width == plot.width);
  REQUIRE(image.height == plot.height);
  REQUIRE(image.channels == 3);
  for (double v = 0.25; v < 10; v += 0.25) {
    const int x = static_cast<int>(std::lround(f.column(v))), y = static_cast<int>(std::lround(f.row(v)));
    INFO("data point " << v << " at pixel (" << x << ", " << y << ")");
    CHECK(pixel(image, x, y) == kRed);
    // Away from the line: not drawn (the grid and the frame are gray or black, never red).
    if (y - 12 > f.top) CHECK(pixel(image, x, y - 12) != kRed);
    if (y + 12 < f.bottom) CHECK(pixel(image, x, y + 12) != kRed);
  }
  // The frame's edges are drawn in ink; the page outside the axes' labels stays white.
  CHECK(pixel(image, f.left, (f.top + f.bottom) / 2) == Rgb8{20, 20, 20});
  CHECK(pixel(image, image.width - 1, 0) == Rgb8{255, 255, 255});
}

TEST_CASE("line plot: the legend takes the corner the lines cross least") {
  // A line 20 pixels above the bottom, through where the legend would stand in the lower right
  // corner: the legend goes to the upper left instead, and the whole line stays visible.
  LinePlot plot = diagonal_plot({0, 10}, {0, 0});
  plot.series[0].label = "A";
  const nerds::scenes::PlotFrame f = nerds::scenes::line_plot_frame(plot);
  const double y = 20.0 * (f.y1 - f.y0) / (f.bottom - f.top);
  plot.series[0].y = {y, y};
  const nerds::Image8 image = nerds::scenes::draw_line_plot(plot);
  for (double v = 0.5; v < 10; v += 0.5)
    CHECK(pixel(image, static_cast<int>(std::lround(f.column(v))), static_cast<int>(std::lround(f.row(y)))) == kRed);
  // The legend's swatch: a red line near the upper left corner, where no data runs.
  int red_near_top = 0;
  for (int y = f.top; y < f.top + 40; ++y)
    for (int x = f.left; x < f.left + 60; ++x) red_near_top += pixel(image, x, y) == kRed;
  CHECK(red_near_top > 0);
}

TEST_CASE("line plot: a missing point breaks the line, and labels are drawn as text") {
  LinePlot plot = diagonal_plot({0, 5, 10}, {0, std::nan(""), 10});
  const nerds::scenes::PlotFrame f = nerds::scenes::line_plot_frame(plot);
  const nerds::Image8 gap = nerds::scenes::draw_line_plot(plot);
  for (double v : {2.5, 5.0, 7.5})
    CHECK(pixel(gap, static_cast<int>(std::lround(f.column(v))), static_cast<int>(std::lround(f.row(v)))) != kRed);
  // Both end points keep their markers.
  CHECK(pixel(gap, f.left + 1, f.bottom - 1) == kRed);

  plot.title = "TITLE";
  const nerds::Image8 titled = nerds::scenes::draw_line_plot(plot);
  const nerds::scenes::PlotFrame g = nerds::scenes::line_plot_frame(plot);
  CHECK(g.top > f.top);  // room for the title above the data area
  // Above the data area and between its edges, the title is the only ink: "TITLE"'s font
  // pixels, each 2 x 2 image pixels.
  int ink = 0;
  for (int y = 0; y < g.top - 4; ++y)
    for (int x = g.left; x <= g.right; ++x) ink += pixel(titled, x, y) == Rgb8{20, 20, 20};
  int font_pixels = 0;
  nerds::Image8 probe;
  probe.width = 100;
  probe.height = 20;
  probe.channels = 3;
  probe.pixels.assign(100 * 20 * 3, 255);
  nerds::scenes::draw_text(&probe, "TITLE", 0, 0, 1);
  for (size_t i = 0; i < probe.pixels.size(); i += 3) font_pixels += probe.pixels[i] == 20;
  CHECK(font_pixels > 0);
  CHECK(ink == font_pixels * 4);
  CHECK(nerds::scenes::text_width("TITLE", 2) == (5 * 6 - 1) * 2);

  plot.width = 100;
  CHECK_THROWS_AS(nerds::scenes::line_plot_frame(plot), nerds::InputError);
  plot.width = 900;
  plot.series[0].y.pop_back();
  CHECK_THROWS_AS(nerds::scenes::draw_line_plot(plot), nerds::InputError);
}
