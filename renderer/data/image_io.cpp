// Image files through stb (8-bit PNG/JPG) plus a small 16-bit grayscale PNG writer, which
// stb_image_write lacks. The stb implementations live in libstb (Debian libstb-dev), so no
// STB_*_IMPLEMENTATION here.
#include "renderer/data/image_io.h"

#include "renderer/data/crc32.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "renderer/data/image_limits.h"
#include "renderer/error.h"

namespace nerds {
namespace {

std::string stb_reason() {
  const char* reason = stbi_failure_reason();
  return reason ? reason : "unknown reason";
}

void require_readable_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "", "image file not found");
}

// --- 16-bit PNG (RFC 2083 / ISO 15948) --------------------------------------------------
// A PNG is the 8-byte signature and chunks (big-endian length, type, data, CRC-32 of type +
// data). The pixel data (IDAT) is a zlib stream (RFC 1950) of the filtered scanlines; we use
// filter 0 (none) and deflate "stored" blocks (RFC 1951), which any decoder reads.

uint32_t adler32(const std::vector<uint8_t>& data) {
  constexpr uint32_t kModulus = 65521;
  uint32_t a = 1, b = 0;
  for (uint8_t byte : data) {
    a = (a + byte) % kModulus;
    b = (b + a) % kModulus;
  }
  return (b << 16) | a;
}

void append_u32_be(std::vector<uint8_t>* out, uint32_t v) {
  out->push_back(static_cast<uint8_t>(v >> 24));
  out->push_back(static_cast<uint8_t>(v >> 16));
  out->push_back(static_cast<uint8_t>(v >> 8));
  out->push_back(static_cast<uint8_t>(v));
}

void append_chunk(std::vector<uint8_t>* png, const char type[4], const std::vector<uint8_t>& data) {
  append_u32_be(png, static_cast<uint32_t>(data.size()));
  const size_t type_at = png->size();
  png->insert(png->end(), type, type + 4);
  png->insert(png->end(), data.begin(), data.end());
  const uint32_t crc = crc32_update(0, png->data() + type_at, 4 + data.size());
  append_u32_be(png, crc);
}

// zlib stream holding `raw` in stored (uncompressed) deflate blocks of at most 65535 bytes.
std::vector<uint8_t> zlib_stored(const std::vector<uint8_t>& raw) {
  std::vector<uint8_t> z = {0x78, 0x01};  // CM=8 (deflate), 32K window; FCHECK makes it % 31 == 0
  size_t at = 0;
  do {
    const size_t block = std::min<size_t>(65535, raw.size() - at);
    const bool last = at + block == raw.size();
    z.push_back(last ? 1 : 0);  // BFINAL, BTYPE=00 (stored)
    z.push_back(static_cast<uint8_t>(block));
    z.push_back(static_cast<uint8_t>(block >> 8));
    z.push_back(static_cast<uint8_t>(~block));
    z.push_back(static_cast<uint8_t>(~block >> 8));
    z.insert(z.end(), raw.begin() + at, raw.begin() + at + block);
    at += block;
  } while (at < raw.size());
  append_u32_be(&z, adler32(raw));
  return z;
}

enum class ImageFormat { kPng, kJpg, kOther };

// The format by its signature: stb would also decode BMP, TGA, PSD, GIF, HDR, PIC and PNM,
// whose headers declare sizes that nothing below checks against the file (a 32-byte TGA can
// declare 16384x16384 and stb fills the missing pixels with zeros), so only PNG and JPG pass.
ImageFormat image_format(const std::string& path) {
  unsigned char magic[8] = {0};
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file || std::fread(magic, 1, sizeof magic, file.get()) != sizeof magic) return ImageFormat::kOther;
  static const unsigned char kPngMagic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (std::equal(magic, magic + 8, kPngMagic)) return ImageFormat::kPng;
  if (magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF) return ImageFormat::kJpg;
  return ImageFormat::kOther;
}

// Whether every scan of a JPG uses only Huffman tables that a DHT segment defined before it.
// stb (v2.27, Debian's libstb) decodes a scan with an undefined table from uninitialised
// memory: an abort in stbi__jpeg_huff_decode's assert or reads through garbage indices
// (found by fuzz/fuzz_image.cpp). The walk follows stb's: markers between segments (other
// bytes skipped), and after a scan header the entropy-coded data up to the next marker that
// is neither a stuffed 0xFF00 nor a restart marker.
bool jpg_scans_use_defined_tables(const std::vector<unsigned char>& d) {
  bool defined[2][4] = {};  // [class: 0 DC, 1 AC][table id]
  size_t i = 2;
  while (i + 1 < d.size()) {
    if (d[i] != 0xFF) {
      ++i;
      continue;
    }
    while (i + 1 < d.size() && d[i + 1] == 0xFF) ++i;  // fill bytes
    if (i + 3 >= d.size()) return true;
    const unsigned char marker = d[i + 1];
    if (marker == 0xD9) return true;  // end of image
    if (marker == 0x00 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length: stuffing, restart, SOI
      i += 2;
      continue;
    }
    const size_t end = std::min(d.size(), i + 2 + (static_cast<size_t>(d[i + 2]) << 8 | d[i + 3]));
    if (marker == 0xC4) {  // DHT: tables of (class << 4 | id), 16 counts, the symbols
      for (size_t t = i + 4; t + 17 <= end;) {
        if ((d[t] >> 4) < 2 && (d[t] & 15) < 4) defined[d[t] >> 4][d[t] & 15] = true;
        size_t symbols = 0;
        for (int k = 1; k <= 16; ++k) symbols += d[t + k];
        t += 17 + symbols;
      }
    }
    if (marker == 0xDA && i + 4 < end) {  // SOS: per component its DC << 4 | AC table ids
      const size_t components = d[i + 4];
      for (size_t c = 0; c < components && i + 6 + 2 * c < end; ++c) {
        const unsigned char tables = d[i + 6 + 2 * c];
        if ((tables >> 4) > 3 || (tables & 15) > 3) continue;  // stb refuses these itself
        if (!defined[0][tables >> 4] || !defined[1][tables & 15]) return false;
      }
    }
    i = end;
    if (marker == 0xDA)
      while (i + 1 < d.size() && !(d[i] == 0xFF && d[i + 1] != 0x00 && !(d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7))) ++i;
  }
  return true;
}

std::vector<unsigned char> file_contents(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  std::vector<unsigned char> bytes;
  unsigned char buffer[1 << 16];
  size_t n = 0;
  while (file && (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0)
    bytes.insert(bytes.end(), buffer, buffer + n);
  return bytes;
}

// The fewest bytes a PNG or JPG of width x height can take, from the size its header claims:
// a PNG's scanlines hold at least 1 bit a pixel plus a filter byte a row, and deflate packs at
// most 258 bytes into 2 bits (1032:1, RFC 1951); a JPG codes every 8x8 block of its first
// component with at least 1 bit (the shortest Huffman code).
uint64_t fewest_bytes_for(ImageFormat format, int width, int height) {
  const uint64_t w = static_cast<uint64_t>(width), h = static_cast<uint64_t>(height);
  if (format == ImageFormat::kPng) return h * (1 + (w + 7) / 8) / 1032;
  return ((w + 7) / 8) * ((h + 7) / 8) / 8;
}

}  // namespace

ImageInfo read_image_info(const std::string& path) {
  require_readable_file(path);
  const ImageFormat format = image_format(path);
  if (format == ImageFormat::kOther)
    throw InputError(path, "", "not a PNG or JPG image (the file does not start with either signature)");
  ImageInfo info;
  if (!stbi_info(path.c_str(), &info.width, &info.height, &info.channels))
    throw InputError(path, "", "not a readable PNG/JPG image (" + stb_reason() + ")");
  // The header alone decides how much a decoder allocates: check it before anyone does.
  const std::string claimed = std::to_string(info.width) + "x" + std::to_string(info.height);
  if (info.width < 1 || info.height < 1 || info.width > kMaxImageSide || info.height > kMaxImageSide)
    throw InputError(path, "header", "declares " + claimed + " pixels; images of 1 to " +
                                         std::to_string(kMaxImageSide) + " pixels a side are read");
  std::error_code ec;
  const uint64_t bytes = std::filesystem::file_size(path, ec);
  const uint64_t fewest = fewest_bytes_for(format, info.width, info.height);
  if (!ec && bytes < fewest)
    throw InputError(path, "header",
                     "declares " + claimed + " pixels, but the file holds " + std::to_string(bytes) +
                         " bytes, fewer than the " + std::to_string(fewest) +
                         " any such image needs: the header is corrupt or the file truncated");
  if (format == ImageFormat::kJpg && !jpg_scans_use_defined_tables(file_contents(path)))
    throw InputError(path, "", "corrupt JPG: a scan uses a Huffman table that no DHT segment defines");
  return info;
}

Image8 read_image(const std::string& path, int channels) {
  if (channels < 0 || channels > 4) throw InputError(path, "", "bad channel count " + std::to_string(channels));
  read_image_info(path);  // refuses a size the header cannot back before stb allocates it
  int width = 0, height = 0, stored_channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> data(
      stbi_load(path.c_str(), &width, &height, &stored_channels, channels), stbi_image_free);
  if (!data) throw InputError(path, "", "cannot decode image (" + stb_reason() + ")");
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = channels != 0 ? channels : stored_channels;
  const size_t size = static_cast<size_t>(width) * height * image.channels;
  image.pixels.assign(data.get(), data.get() + size);
  return image;
}

Image16 read_png16(const std::string& path) {
  read_image_info(path);  // refuses a size the header cannot back before stb allocates it
  int width = 0, height = 0, stored_channels = 0;
  std::unique_ptr<stbi_us, void (*)(void*)> data(stbi_load_16(path.c_str(), &width, &height, &stored_channels, 1),
                                                 stbi_image_free);
  if (!data) throw InputError(path, "", "cannot decode 16-bit image (" + stb_reason() + ")");
  Image16 image;
  image.width = width;
  image.height = height;
  image.values.assign(data.get(), data.get() + static_cast<size_t>(width) * height);
  return image;
}

void write_png(const std::string& path, const Image8& image) {
  const bool valid_channels = image.channels == 1 || image.channels == 3 || image.channels == 4;
  if (!valid_channels || image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * image.channels)
    throw InputError(path, "", "cannot write PNG: image size and pixel buffer disagree");
  if (!stbi_write_png(path.c_str(), image.width, image.height, image.channels, image.pixels.data(),
                      image.width * image.channels))
    throw InputError(path, "", "cannot write PNG (missing folder or no permission?)");
}

void write_png16(const std::string& path, int width, int height, const std::vector<uint16_t>& values) {
  if (width <= 0 || height <= 0 || values.size() != static_cast<size_t>(width) * height)
    throw InputError(path, "", "cannot write 16-bit PNG: size and value count disagree");
  // Scanlines: a filter-type byte (0 = none), then big-endian 16-bit samples.
  std::vector<uint8_t> raw;
  raw.reserve(static_cast<size_t>(height) * (1 + 2 * static_cast<size_t>(width)));
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    for (int x = 0; x < width; ++x) {
      const uint16_t v = values[static_cast<size_t>(y) * width + x];
      raw.push_back(static_cast<uint8_t>(v >> 8));
      raw.push_back(static_cast<uint8_t>(v));
    }
  }
  std::vector<uint8_t> header;
  append_u32_be(&header, static_cast<uint32_t>(width));
  append_u32_be(&header, static_cast<uint32_t>(height));
  header.insert(header.end(), {16, 0, 0, 0, 0});  // 16 bits, grayscale, deflate, filter 0, no interlace

  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  append_chunk(&png, "IHDR", header);
  append_chunk(&png, "IDAT", zlib_stored(raw));
  append_chunk(&png, "IEND", {});

  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), std::fclose);
  if (!file) throw InputError(path, "", "cannot open for writing (missing folder or no permission?)");
  if (std::fwrite(png.data(), 1, png.size(), file.get()) != png.size())
    throw InputError(path, "", "write failed");
  if (std::fclose(file.release()) != 0) throw InputError(path, "", "write failed");
}

// Partial blocks at the right and bottom edges are dropped (floor, then crop): the kept
// pixels keep their top-left origin, so intrinsics scale by exactly 1/factor.
Image8 downscale_image(const Image8& image, int factor) {
  if (factor < 1) throw InputError("downscale_image: factor must be >= 1, got " + std::to_string(factor));
  if (factor == 1) return image;
  Image8 out;
  out.width = image.width / factor;
  out.height = image.height / factor;
  out.channels = image.channels;
  if (out.width == 0 || out.height == 0)
    throw InputError("downscale_image: factor " + std::to_string(factor) + " exceeds the image size " +
                     std::to_string(image.width) + "x" + std::to_string(image.height));
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * out.channels);
  const uint32_t area = static_cast<uint32_t>(factor) * factor;
  const int c = image.channels;
  std::vector<uint32_t> sums(static_cast<size_t>(out.width) * c);
  for (int oy = 0; oy < out.height; ++oy) {
    std::fill(sums.begin(), sums.end(), 0u);
    for (int y = oy * factor; y < (oy + 1) * factor; ++y) {
      const uint8_t* row = image.pixels.data() + static_cast<size_t>(y) * image.width * c;
      for (int ox = 0; ox < out.width; ++ox)
        for (int x = ox * factor; x < (ox + 1) * factor; ++x)
          for (int ch = 0; ch < c; ++ch) sums[static_cast<size_t>(ox) * c + ch] += row[x * c + ch];
    }
    uint8_t* out_row = out.pixels.data() + static_cast<size_t>(oy) * out.width * c;
    for (size_t i = 0; i < sums.size(); ++i) out_row[i] = static_cast<uint8_t>((sums[i] + area / 2) / area);
  }
  return out;
}

}  // namespace nerds
