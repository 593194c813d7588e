// Text drawn with the 5x7 bitmap font (bitmap_font.h) into an 8-bit RGB image: the labels of
// contact sheets and of line plots, without a font library. A glyph cell is 6 x 7 font pixels
// (5 columns and a gap), each font pixel `scale` x `scale` image pixels; lower case is drawn
// as upper case, and a character the font lacks as a space.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "renderer/data/image_io.h"

namespace nerds::scenes {

using Rgb8 = std::array<uint8_t, 3>;

// Width and height in image pixels of `text` drawn at `scale` (no trailing gap).
int text_width(const std::string& text, int scale);
inline int text_height(int scale) { return 7 * scale; }
// Draws `text` left to right with its top-left corner at (x, y); pixels outside are skipped.
void draw_text(Image8* image, const std::string& text, int x, int y, int scale, Rgb8 color = {20, 20, 20});
// Draws `text` turned a quarter turn counter-clockwise (read from bottom to top), its first
// character's bottom-left corner at (x, y) (an axis label along a vertical axis).
void draw_text_up(Image8* image, const std::string& text, int x, int y, int scale, Rgb8 color = {20, 20, 20});

}  // namespace nerds::scenes
