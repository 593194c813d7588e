#include "scenes/generator/bitmap_text.h"

#include "scenes/generator/bitmap_font.h"

namespace nerds::scenes {

namespace {

constexpr int kAdvance = 6;  // font pixels from one glyph to the next

void set_pixel(Image8* image, int x, int y, Rgb8 color) {
  if (x < 0 || y < 0 || x >= image->width || y >= image->height) return;
  uint8_t* p = &image->pixels[(static_cast<size_t>(y) * image->width + x) * image->channels];
  for (int c = 0; c < 3 && c < image->channels; ++c) p[c] = color[c];
}

// Calls put(i, row, col) for every set font pixel of every glyph of `text`.
template <class Put>
void for_each_font_pixel(const std::string& text, Put put) {
  for (size_t i = 0; i < text.size(); ++i) {
    const Glyph* glyph = find_glyph(text[i]);
    if (!glyph) continue;
    for (int row = 0; row < 7; ++row)
      for (int col = 0; col < 5; ++col)
        if (glyph->rows[row] & (0x10 >> col)) put(static_cast<int>(i), row, col);
  }
}

}  // namespace

int text_width(const std::string& text, int scale) {
  return text.empty() ? 0 : (static_cast<int>(text.size()) * kAdvance - 1) * scale;
}

void draw_text(Image8* image, const std::string& text, int x, int y, int scale, Rgb8 color) {
  for_each_font_pixel(text, [&](int i, int row, int col) {
    const int px = x + (i * kAdvance + col) * scale, py = y + row * scale;
    for (int dy = 0; dy < scale; ++dy)
      for (int dx = 0; dx < scale; ++dx) set_pixel(image, px + dx, py + dy, color);
  });
}

void draw_text_up(Image8* image, const std::string& text, int x, int y, int scale, Rgb8 color) {
  // Font pixel (u along the text, v down the glyph) lands at (x + v, y - u) once turned.
  for_each_font_pixel(text, [&](int i, int row, int col) {
    const int u = (i * kAdvance + col) * scale, v = row * scale;
    for (int dy = 0; dy < scale; ++dy)
      for (int dx = 0; dx < scale; ++dx) set_pixel(image, x + v + dy, y - 1 - u - dx, color);
  });
}

}  // namespace nerds::scenes
