// Checks screenshots of nerds-view's scripted mode (the xvfb window test):
//   nerds_view_check_screenshot EARLY.png LATE.png
// Each PNG has a layout file beside it (EARLY.json: window size, the render's rectangle, the
// panels' rectangles, the training step, the clear color) that the viewer wrote with it.
// Checks, for each: the render region is not blank (its pixels vary) and every panel is drawn
// (covered by the panel's background, with text on it); and between the two: the later step
// is larger and the render region changed. Prints what it measured; exit 0 when all hold.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

namespace {

struct Shot {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  nlohmann::json layout;
};

struct Box {
  int x0, y0, x1, y1;
};

bool load(const std::string& png, Shot* s) {
  int channels = 0;
  unsigned char* data = stbi_load(png.c_str(), &s->width, &s->height, &channels, 3);
  if (!data) {
    std::fprintf(stderr, "check: cannot read %s\n", png.c_str());
    return false;
  }
  s->rgb.assign(data, data + static_cast<size_t>(s->width) * s->height * 3);
  stbi_image_free(data);
  const std::string json_path = png.substr(0, png.size() - 4) + ".json";
  std::ifstream in(json_path);
  s->layout = nlohmann::json::parse(in, nullptr, false);
  if (s->layout.is_discarded() || !s->layout.contains("image_rect")) {
    std::fprintf(stderr, "check: cannot read the layout %s\n", json_path.c_str());
    return false;
  }
  return true;
}

Box box_of(const nlohmann::json& r, const Shot& s) {
  // Two pixels inside the edges: borders and anti-aliasing are not what is checked.
  Box b{static_cast<int>(std::ceil(r[0].get<double>())) + 2, static_cast<int>(std::ceil(r[1].get<double>())) + 2,
        static_cast<int>(r[0].get<double>() + r[2].get<double>()) - 2,
        static_cast<int>(r[1].get<double>() + r[3].get<double>()) - 2};
  b.x0 = std::max(b.x0, 0);
  b.y0 = std::max(b.y0, 0);
  b.x1 = std::min(b.x1, s.width);
  b.y1 = std::min(b.y1, s.height);
  return b;
}

const unsigned char* px(const Shot& s, int x, int y) { return &s.rgb[(static_cast<size_t>(y) * s.width + x) * 3]; }

float luma(const unsigned char* p) { return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]; }

// Standard deviation of the luminance in a box.
double luma_stddev(const Shot& s, const Box& b) {
  double sum = 0, sum2 = 0;
  size_t n = 0;
  for (int y = b.y0; y < b.y1; ++y)
    for (int x = b.x0; x < b.x1; ++x) {
      const double l = luma(px(s, x, y));
      sum += l;
      sum2 += l * l;
      ++n;
    }
  if (n == 0) return 0;
  const double mean = sum / n;
  return std::sqrt(std::max(0.0, sum2 / n - mean * mean));
}

bool check_render(const std::string& name, const Shot& s) {
  const Box b = box_of(s.layout["image_rect"], s);
  const double sd = luma_stddev(s, b);
  const bool ok = sd > 2.0 && (b.x1 - b.x0) > 16 && (b.y1 - b.y0) > 16;
  std::printf("%s: render region %dx%d, luminance stddev %.2f (> 2: not blank) %s\n", name.c_str(), b.x1 - b.x0,
              b.y1 - b.y0, sd, ok ? "ok" : "FAIL");
  return ok;
}

bool check_panels(const std::string& name, const Shot& s) {
  bool all = true;
  const auto& clear = s.layout["clear_color"];
  const int cr = clear[0], cg = clear[1], cb = clear[2];
  int index = 0;
  for (const auto& r : s.layout["panels"]) {
    const Box b = box_of(r, s);
    size_t n = 0, covered = 0, text = 0;
    for (int y = b.y0; y < b.y1; ++y)
      for (int x = b.x0; x < b.x1; ++x) {
        const unsigned char* p = px(s, x, y);
        ++n;
        if (std::abs(p[0] - cr) + std::abs(p[1] - cg) + std::abs(p[2] - cb) > 6) ++covered;
        if (luma(p) > 150.f) ++text;  // ImGui's light text on its dark panels
      }
    const double cover = n ? static_cast<double>(covered) / n : 0, text_share = n ? static_cast<double>(text) / n : 0;
    const bool ok = n > 1000 && cover > 0.9 && text_share > 0.003;
    std::printf("%s: panel %d: %.1f%% off the clear color, %.2f%% text pixels %s\n", name.c_str(), index, 100 * cover,
                100 * text_share, ok ? "ok" : "FAIL");
    all = all && ok;
    ++index;
  }
  if (index == 0) {
    std::printf("%s: no panels in the layout FAIL\n", name.c_str());
    return false;
  }
  return all;
}

bool check_change(const Shot& a, const Shot& b) {
  const int step_a = a.layout.value("step", -1), step_b = b.layout.value("step", -1);
  const Box box = box_of(a.layout["image_rect"], a);
  if (a.width != b.width || a.height != b.height || a.layout["image_rect"] != b.layout["image_rect"]) {
    std::printf("change: the two screenshots have different layouts FAIL\n");
    return false;
  }
  double sum = 0;
  size_t n = 0;
  for (int y = box.y0; y < box.y1; ++y)
    for (int x = box.x0; x < box.x1; ++x, ++n)
      for (int k = 0; k < 3; ++k) sum += std::abs(px(a, x, y)[k] - px(b, x, y)[k]);
  const double mean = n ? sum / (3.0 * n) : 0;
  const bool ok = step_b > step_a && mean > 0.5;
  std::printf("change: step %d -> %d, mean absolute change of the render region %.2f / 255 (> 0.5) %s\n", step_a,
              step_b, mean, ok ? "ok" : "FAIL");
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s EARLY.png LATE.png\n", argv[0]);
    return 2;
  }
  Shot a, b;
  if (!load(argv[1], &a) || !load(argv[2], &b)) return 1;
  bool ok = check_render("early", a) & check_render("late", b);
  ok = check_panels("early", a) & ok;
  ok = check_panels("late", b) & ok;
  ok = check_change(a, b) & ok;
  std::printf("%s\n", ok ? "screenshots ok" : "screenshots FAILED");
  return ok ? 0 : 1;
}
