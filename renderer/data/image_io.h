// Reading and writing images (PNG, JPG through stb). Errors throw InputError naming the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nerds {

struct Image8 {
  int width = 0, height = 0, channels = 0;  // channels: 1, 3 or 4
  std::vector<uint8_t> pixels;              // row-major, top row first, interleaved
};

// Loads a PNG/JPG; `channels` forces the channel count (0 = as stored). Throws InputError.
Image8 read_image(const std::string& path, int channels = 0);
// Width, height and stored channel count of a PNG/JPG, read from its header only.
struct ImageInfo {
  int width = 0, height = 0, channels = 0;
};
ImageInfo read_image_info(const std::string& path);  // throws InputError
// Writes an 8-bit PNG (1, 3 or 4 channels); creates no directories. Throws InputError.
void write_png(const std::string& path, const Image8& image);
// A 16-bit single-channel PNG (depth maps, as write_png16 writes them): row-major values.
struct Image16 {
  int width = 0, height = 0;
  std::vector<uint16_t> values;
};
// Reads one (an 8-bit gray PNG is widened to 16 bits); throws InputError naming the file.
Image16 read_png16(const std::string& path);
// Writes a 16-bit single-channel PNG (for depth maps).
void write_png16(const std::string& path, int width, int height, const std::vector<uint16_t>& values);
// Box-filter downscale by an integer factor (area average per channel; straight alpha kept).
Image8 downscale_image(const Image8& image, int factor);

// Float [0,1] -> 8 bit with rounding and clamping.
inline uint8_t to_u8(float v) {
  v = v < 0.f ? 0.f : (v > 1.f ? 1.f : v);
  return static_cast<uint8_t>(v * 255.f + 0.5f);
}

}  // namespace nerds
