#include "scenes/generator/contact_sheet.h"

#include <algorithm>
#include <cmath>

#include "renderer/error.h"
#include "scenes/generator/bitmap_text.h"
#include "scenes/generator/color.h"

namespace nerds::scenes {

namespace {

constexpr int kPad = 4;

// The color at (x, y) of an image, composited over white, in linear light.
Vec3 pixel_over_white(const Image8& image, int x, int y) {
  const uint8_t* p = &image.pixels[(static_cast<size_t>(y) * image.width + x) * image.channels];
  Vec3 c = image.channels >= 3 ? make_vec3(p[0], p[1], p[2]) / 255.f : make_vec3(p[0], p[0], p[0]) / 255.f;
  float a = image.channels == 4 ? p[3] / 255.f : 1.f;
  return srgb_to_linear(c) * a + make_vec3(1.f, 1.f, 1.f) * (1.f - a);
}

// `image` fitted into a size x size square at (x0, y0): each output pixel averages a 4x4
// grid of source samples over its footprint (enough for the downscales a sheet needs).
void draw_image(Image8* sheet, const Image8& image, int x0, int y0, int size) {
  const float scale = static_cast<float>(std::max(image.width, image.height)) / static_cast<float>(size);
  const int w = static_cast<int>(image.width / scale), h = static_cast<int>(image.height / scale);
  const int ox = x0 + (size - w) / 2, oy = y0 + (size - h) / 2;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      Vec3 sum;
      for (int sy = 0; sy < 4; ++sy) {
        for (int sx = 0; sx < 4; ++sx) {
          int ix = static_cast<int>((x + (sx + 0.5f) / 4.f) * scale),
              iy = static_cast<int>((y + (sy + 0.5f) / 4.f) * scale);
          sum = sum + pixel_over_white(image, std::min(ix, image.width - 1), std::min(iy, image.height - 1));
        }
      }
      Vec3 srgb = linear_to_srgb(sum / 16.f);
      uint8_t* out = &sheet->pixels[(static_cast<size_t>(oy + y) * sheet->width + ox + x) * 3];
      out[0] = to_u8(srgb.x);
      out[1] = to_u8(srgb.y);
      out[2] = to_u8(srgb.z);
    }
  }
}

}  // namespace

Image8 make_contact_sheet(const std::vector<SheetTile>& tiles, int tile_size, int columns) {
  if (tiles.empty()) throw InputError("contact sheet: no images");
  if (tile_size < 16 || tile_size > 2048) throw InputError("contact sheet", "tile", "must be in [16, 2048] pixels");
  if (columns < 1) throw InputError("contact sheet", "columns", "must be >= 1");
  columns = std::min(columns, static_cast<int>(tiles.size()));
  const int rows = (static_cast<int>(tiles.size()) + columns - 1) / columns;
  // Labels at twice the font size when the longest fits the tile, else at 1x.
  size_t longest = 0;
  for (const SheetTile& t : tiles) longest = std::max(longest, t.label.size());
  const int text_scale = static_cast<int>(longest) * 12 - 2 <= tile_size - 2 * kPad ? 2 : 1;
  const int label_height = 7 * text_scale + 2 * kPad;
  const int cell_w = tile_size + kPad, cell_h = tile_size + label_height + kPad;
  Image8 sheet;
  sheet.width = columns * cell_w + kPad;
  sheet.height = rows * cell_h + kPad;
  sheet.channels = 3;
  sheet.pixels.assign(static_cast<size_t>(sheet.width) * sheet.height * 3, 255);
  for (size_t i = 0; i < tiles.size(); ++i) {
    const int x = kPad + static_cast<int>(i % columns) * cell_w, y = kPad + static_cast<int>(i / columns) * cell_h;
    if (tiles[i].image.width < 1 || tiles[i].image.height < 1 || tiles[i].image.channels < 1)
      throw InputError("contact sheet", tiles[i].label, "empty image");
    draw_text(&sheet, tiles[i].label, x + kPad, y + kPad, text_scale);
    draw_image(&sheet, tiles[i].image, x, y + label_height, tile_size);
  }
  return sheet;
}

}  // namespace nerds::scenes
