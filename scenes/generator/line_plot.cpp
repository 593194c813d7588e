#include "scenes/generator/line_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "renderer/error.h"

namespace nerds::scenes {

namespace {

constexpr int kFont = 2;  // font pixel size of every text
constexpr int kGap = 8;   // pixels between a text and what it labels
constexpr Rgb8 kInk = {20, 20, 20}, kGrid = {232, 232, 232}, kMark = {150, 150, 150}, kWhite = {255, 255, 255};

bool finite_point(const PlotSeries& s, size_t i) { return std::isfinite(s.x[i]) && std::isfinite(s.y[i]); }

// A tick's text with as many decimals as the tick step needs ("20", "2.5", "0.25").
std::string tick_text(double v, double step) {
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v) < step * 1e-6 ? 0.0 : v);
  return buf;
}

double tick_step(const std::vector<double>& ticks) { return ticks.size() > 1 ? ticks[1] - ticks[0] : 1.0; }

// One axis' range and ticks: the data's [lo, hi] unless the plot fixes an end, widened to
// whole ticks at the ends the data chose.
void axis_range(double fixed_lo, double fixed_hi, double lo, double hi, int target, double* a, double* b,
                std::vector<double>* ticks) {
  if (std::isfinite(fixed_lo)) lo = fixed_lo;
  if (std::isfinite(fixed_hi)) hi = fixed_hi;
  if (!(lo < hi)) {  // one value, or none: a unit interval around it
    const double mid = std::isfinite(lo) ? lo : 0.5;
    lo = mid - 0.5;
    hi = mid + 0.5;
  }
  *ticks = nice_ticks(lo, hi, target);
  *a = std::isfinite(fixed_lo) ? fixed_lo : ticks->front();
  *b = std::isfinite(fixed_hi) ? fixed_hi : ticks->back();
  const double eps = (*b - *a) * 1e-9;
  ticks->erase(std::remove_if(ticks->begin(), ticks->end(), [&](double t) { return t < *a - eps || t > *b + eps; }),
               ticks->end());
}

struct Canvas {
  Image8* image;
  int clip_left, clip_top, clip_right, clip_bottom;  // inclusive
  void put(int x, int y, Rgb8 c) const {
    if (x < clip_left || x > clip_right || y < clip_top || y > clip_bottom) return;
    uint8_t* p = &image->pixels[(static_cast<size_t>(y) * image->width + x) * 3];
    p[0] = c[0];
    p[1] = c[1];
    p[2] = c[2];
  }
  void fill(int x0, int y0, int x1, int y1, Rgb8 c) const {
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) put(x, y, c);
  }
  // A segment between pixel centers, `radius` pixels either side (a square brush), every
  // `dash` pixels on and off when dash > 0.
  void line(double xa, double ya, double xb, double yb, int radius, Rgb8 c, int dash = 0) const {
    const int n = std::max(1, static_cast<int>(std::ceil(std::max(std::fabs(xb - xa), std::fabs(yb - ya)))));
    for (int k = 0; k <= n; ++k) {
      if (dash > 0 && (k / dash) % 2 == 1) continue;
      const double t = static_cast<double>(k) / n;
      const int x = static_cast<int>(std::lround(xa + t * (xb - xa))), y = static_cast<int>(std::lround(ya + t * (yb - ya)));
      fill(x - radius, y - radius, x + radius, y + radius, c);
    }
  }
};

// How many of the series' line pixels (a point per pixel along each segment, and the markers)
// fall inside the box [x0, x1] x [y0, y1].
size_t series_pixels_in(const LinePlot& plot, const PlotFrame& f, int x0, int y0, int x1, int y1) {
  size_t count = 0;
  auto inside = [&](double x, double y) { return x >= x0 && x <= x1 && y >= y0 && y <= y1; };
  for (const PlotSeries& s : plot.series)
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!finite_point(s, i)) continue;
      const double xa = f.column(s.x[i]), ya = f.row(s.y[i]);
      count += inside(xa, ya);
      if (i + 1 >= s.x.size() || !finite_point(s, i + 1)) continue;
      const double xb = f.column(s.x[i + 1]), yb = f.row(s.y[i + 1]);
      const int n = std::max(1, static_cast<int>(std::ceil(std::max(std::fabs(xb - xa), std::fabs(yb - ya)))));
      for (int k = 1; k <= n; ++k) count += inside(xa + (xb - xa) * k / n, ya + (yb - ya) * k / n);
    }
  return count;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(std::isfinite(lo) && std::isfinite(hi)) || !(lo < hi)) return {lo};
  const double raw = (hi - lo) / std::max(1, target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / magnitude;
  const double step = (norm < 1.5 ? 1.0 : norm < 3.0 ? 2.0 : norm < 7.0 ? 5.0 : 10.0) * magnitude;
  const double first = std::floor(lo / step + 1e-9), last = std::ceil(hi / step - 1e-9);
  std::vector<double> ticks;
  for (double k = first; k <= last; k += 1.0) ticks.push_back(k * step);  // k * step: no summed rounding
  return ticks;
}

Rgb8 plot_color(size_t i) {
  static const Rgb8 kPalette[10] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},  {148, 103, 189},
                                    {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
  return kPalette[i % 10];
}

PlotFrame line_plot_frame(const LinePlot& plot) {
  if (plot.width < 200 || plot.height < 150 || plot.width > 8192 || plot.height > 8192)
    throw InputError("line plot", "size", "must be 200 x 150 to 8192 x 8192 pixels");
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  for (const PlotSeries& s : plot.series) {
    if (s.x.size() != s.y.size()) throw InputError("line plot", s.label, "x and y differ in length");
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!finite_point(s, i)) continue;
      x_lo = std::min(x_lo, s.x[i]);
      x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, s.y[i]);
      y_hi = std::max(y_hi, s.y[i]);
    }
  }
  for (double m : plot.y_marks) {
    if (!std::isfinite(m)) continue;
    y_lo = std::min(y_lo, m);
    y_hi = std::max(y_hi, m);
  }
  PlotFrame f;
  axis_range(plot.x_min, plot.x_max, x_lo, x_hi, 8, &f.x0, &f.x1, &f.x_ticks);
  axis_range(plot.y_min, plot.y_max, y_lo, y_hi, 6, &f.y0, &f.y1, &f.y_ticks);
  int y_tick_width = 0, mark_width = 0;
  for (double t : f.y_ticks) y_tick_width = std::max(y_tick_width, text_width(tick_text(t, tick_step(f.y_ticks)), kFont));
  for (double m : plot.y_marks) mark_width = std::max(mark_width, text_width(tick_text(m, 1.0), kFont));
  const int line = text_height(kFont);
  f.left = kGap + (plot.y_label.empty() ? 0 : line + kGap) + y_tick_width + kGap + 5;
  f.top = kGap + (plot.title.empty() ? 0 : line + 2 * kGap) + line / 2;
  f.right = plot.width - 1 - std::max(kGap + line, mark_width + 2 * kGap);
  f.bottom = plot.height - 1 - (5 + kGap + line + (plot.x_label.empty() ? 0 : kGap + line) + kGap);
  return f;
}

Image8 draw_line_plot(const LinePlot& plot) {
  const PlotFrame f = line_plot_frame(plot);
  Image8 image;
  image.width = plot.width;
  image.height = plot.height;
  image.channels = 3;
  image.pixels.assign(static_cast<size_t>(image.width) * image.height * 3, 255);
  const Canvas page{&image, 0, 0, image.width - 1, image.height - 1};
  const Canvas area{&image, f.left, f.top, f.right, f.bottom};
  const int line = text_height(kFont);

  // Grid, reference lines, frame and ticks.
  const double xs = tick_step(f.x_ticks), ys = tick_step(f.y_ticks);
  for (double t : f.x_ticks) {
    const double c = f.column(t);
    area.line(c, f.top, c, f.bottom, 0, kGrid);
    page.line(c, f.bottom, c, f.bottom + 5, 0, kInk);
    const std::string s = tick_text(t, xs);
    draw_text(&image, s, static_cast<int>(std::lround(c)) - text_width(s, kFont) / 2, f.bottom + 5 + kGap, kFont, kInk);
  }
  for (double t : f.y_ticks) {
    const double r = f.row(t);
    area.line(f.left, r, f.right, r, 0, kGrid);
    page.line(f.left - 5, r, f.left, r, 0, kInk);
    const std::string s = tick_text(t, ys);
    draw_text(&image, s, f.left - 5 - kGap - text_width(s, kFont), static_cast<int>(std::lround(r)) - line / 2, kFont,
              kInk);
  }
  for (double m : plot.y_marks) {
    if (!std::isfinite(m) || m < f.y0 || m > f.y1) continue;
    const double r = f.row(m);
    area.line(f.left, r, f.right, r, 0, kMark, 6);
    draw_text(&image, tick_text(m, 1.0), f.right + kGap, static_cast<int>(std::lround(r)) - line / 2, kFont, kMark);
  }
  page.line(f.left, f.top, f.right, f.top, 0, kInk);
  page.line(f.left, f.bottom, f.right, f.bottom, 0, kInk);
  page.line(f.left, f.top, f.left, f.bottom, 0, kInk);
  page.line(f.right, f.top, f.right, f.bottom, 0, kInk);

  // Labels and title.
  if (!plot.title.empty())
    draw_text(&image, plot.title, (f.left + f.right - text_width(plot.title, kFont)) / 2, kGap, kFont, kInk);
  if (!plot.x_label.empty())
    draw_text(&image, plot.x_label, (f.left + f.right - text_width(plot.x_label, kFont)) / 2,
              f.bottom + 5 + kGap + line + kGap, kFont, kInk);
  if (!plot.y_label.empty())
    draw_text_up(&image, plot.y_label, kGap, (f.top + f.bottom + text_width(plot.y_label, kFont)) / 2, kFont, kInk);

  // The series: segments between consecutive finite points, and a marker at each.
  for (const PlotSeries& s : plot.series) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!finite_point(s, i)) continue;
      const double c = f.column(s.x[i]), r = f.row(s.y[i]);
      if (i + 1 < s.x.size() && finite_point(s, i + 1)) area.line(c, r, f.column(s.x[i + 1]), f.row(s.y[i + 1]), 1, s.color);
      area.line(c, r, c, r, 3, s.color);
    }
  }

  // The legend, in the corner of the data area the series cross least (first choice the lower
  // right: rising curves that flatten leave it empty).
  std::vector<const PlotSeries*> named;
  int label_width = 0;
  for (const PlotSeries& s : plot.series)
    if (!s.label.empty()) {
      named.push_back(&s);
      label_width = std::max(label_width, text_width(s.label, kFont));
    }
  if (!named.empty()) {
    const int swatch = 28, row_height = line + kGap;
    const int w = kGap + swatch + kGap + label_width + kGap, h = static_cast<int>(named.size()) * row_height + kGap;
    const int corners[4][2] = {{f.right - kGap - w, f.bottom - kGap - h},
                               {f.left + kGap, f.top + kGap},
                               {f.right - kGap - w, f.top + kGap},
                               {f.left + kGap, f.bottom - kGap - h}};
    int x0 = corners[0][0], y0 = corners[0][1];
    size_t least = SIZE_MAX;
    for (const auto& corner : corners) {
      const size_t crossed = series_pixels_in(plot, f, corner[0], corner[1], corner[0] + w, corner[1] + h);
      if (crossed < least) {
        least = crossed;
        x0 = corner[0];
        y0 = corner[1];
      }
    }
    area.fill(x0, y0, x0 + w, y0 + h, kWhite);
    area.line(x0, y0, x0 + w, y0, 0, kMark);
    area.line(x0, y0 + h, x0 + w, y0 + h, 0, kMark);
    area.line(x0, y0, x0, y0 + h, 0, kMark);
    area.line(x0 + w, y0, x0 + w, y0 + h, 0, kMark);
    for (size_t i = 0; i < named.size(); ++i) {
      const int y = y0 + kGap + static_cast<int>(i) * row_height;
      area.line(x0 + kGap, y + line / 2, x0 + kGap + swatch, y + line / 2, 1, named[i]->color);
      draw_text(&image, named[i]->label, x0 + 2 * kGap + swatch, y, kFont, kInk);
    }
  }
  return image;
}

}  // namespace nerds::scenes
