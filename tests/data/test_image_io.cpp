// PNG reading/writing through stb, the 16-bit PNG writer, and the box downscale.
#include <doctest/doctest.h>
#include <stb_image.h>
#include <stb_image_write.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "renderer/data/crc32.h"
#include "renderer/data/image_io.h"
#include "renderer/error.h"
#include "tests/data/temp_folder.h"

using nerds::Image8;

namespace {

Image8 pattern_image(int width, int height, int channels) {
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.pixels.resize(static_cast<size_t>(width) * height * channels);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>((i * 37 + 11) % 256);
  return image;
}

std::string input_error_of(void (*action)(const std::string&), const std::string& path) {
  try {
    action(path);
  } catch (const nerds::InputError& e) {
    return e.what();
  }
  return "(no InputError thrown)";
}

std::vector<uint8_t> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("8-bit PNG write/read round trip keeps every byte, for 1, 3 and 4 channels") {
  nerds_test::TempFolder folder("png8");
  for (int channels : {1, 3, 4}) {
    CAPTURE(channels);
    const Image8 written = pattern_image(7, 5, channels);
    const std::string path = (folder.path() / ("c" + std::to_string(channels) + ".png")).string();
    nerds::write_png(path, written);
    const Image8 read = nerds::read_image(path);
    CHECK(read.width == 7);
    CHECK(read.height == 5);
    CHECK(read.channels == channels);
    CHECK(read.pixels == written.pixels);
    const nerds::ImageInfo info = nerds::read_image_info(path);
    CHECK(info.width == 7);
    CHECK(info.height == 5);
    CHECK(info.channels == channels);
  }
}

TEST_CASE("read_image forces the channel count: RGB read as RGBA gets alpha 255") {
  nerds_test::TempFolder folder("png_rgba");
  const Image8 rgb = pattern_image(3, 2, 3);
  const std::string path = (folder.path() / "rgb.png").string();
  nerds::write_png(path, rgb);
  const Image8 rgba = nerds::read_image(path, 4);
  REQUIRE(rgba.channels == 4);
  REQUIRE(rgba.pixels.size() == 3u * 2u * 4u);
  for (int i = 0; i < 6; ++i) {
    CHECK(rgba.pixels[i * 4 + 0] == rgb.pixels[i * 3 + 0]);
    CHECK(rgba.pixels[i * 4 + 2] == rgb.pixels[i * 3 + 2]);
    CHECK(rgba.pixels[i * 4 + 3] == 255);
  }
}

TEST_CASE("image errors are InputErrors naming the file") {
  nerds_test::TempFolder folder("png_errors");
  const std::string missing = (folder.path() / "missing_image.png").string();
  CHECK_THROWS_WITH_AS(nerds::read_image(missing), doctest::Contains("missing_image.png"), nerds::InputError);
  CHECK_THROWS_WITH_AS(nerds::read_image_info(missing), doctest::Contains("missing_image.png"), nerds::InputError);

  const std::string garbage = (folder.path() / "not_an_image.png").string();
  std::ofstream(garbage) << "this is not a PNG";
  CHECK_THROWS_WITH_AS(nerds::read_image(garbage), doctest::Contains("not_an_image.png"), nerds::InputError);
  CHECK_THROWS_WITH_AS(nerds::read_image_info(garbage), doctest::Contains("not_an_image.png"), nerds::InputError);

  const std::string no_folder = (folder.path() / "no_such_folder" / "out.png").string();
  const std::string message = input_error_of(
      [](const std::string& path) { nerds::write_png(path, pattern_image(2, 2, 3)); }, no_folder);
  CHECK(message.find("no_such_folder") != std::string::npos);
  const std::string message16 = input_error_of(
      [](const std::string& path) { nerds::write_png16(path, 2, 1, {1, 2}); }, no_folder);
  CHECK(message16.find("no_such_folder") != std::string::npos);

  Image8 inconsistent = pattern_image(4, 4, 3);
  inconsistent.pixels.pop_back();
  CHECK_THROWS_AS(nerds::write_png((folder.path() / "bad.png").string(), inconsistent), nerds::InputError);
  CHECK_THROWS_AS(nerds::write_png16((folder.path() / "bad16.png").string(), 3, 3, {1, 2}), nerds::InputError);
}

// A real small PNG whose IHDR is rewritten to claim width x height (its CRC recomputed, so
// only the size lies): what a corrupt or hostile header looks like to a decoder.
void write_png_claiming(const std::string& path, uint32_t width, uint32_t height) {
  nerds::write_png(path, pattern_image(8, 6, 3));
  std::vector<uint8_t> png = file_bytes(path);
  REQUIRE(png.size() > 33);
  REQUIRE(std::string(png.begin() + 12, png.begin() + 16) == "IHDR");  // signature 8, length 4, type 4
  for (int k = 0; k < 4; ++k) {
    png[16 + k] = static_cast<uint8_t>(width >> (24 - 8 * k));
    png[20 + k] = static_cast<uint8_t>(height >> (24 - 8 * k));
  }
  const uint32_t crc = nerds::crc32_update(0, png.data() + 12, 4 + 13);  // type + 13 data bytes
  for (int k = 0; k < 4; ++k) png[29 + k] = static_cast<uint8_t>(crc >> (24 - 8 * k));
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(png.data()), png.size());
}

TEST_CASE("image sizes: a header claiming more pixels than the file holds, or than the limit, is refused unread") {
  nerds_test::TempFolder folder("image_huge_header");
  const std::string path = (folder.path() / "lying.png").string();
  const auto read_info = [](const std::string& p) { nerds::read_image_info(p); };
  const auto read_pixels = [](const std::string& p) { nerds::read_image(p, 4); };
  struct Case {
    uint32_t width, height;
    const char* expected;
  };
  // 16000 x 16000 is within the side limit, but no PNG of that size fits in ~100 bytes.
  for (const Case& c : {Case{16000, 16000, "16000x16000"}, Case{999999, 6, "999999x6"}, Case{8, 20000, "8x20000"},
                        Case{16384, 16384, "16384x16384"}}) {
    CAPTURE(c.expected);
    write_png_claiming(path, c.width, c.height);
    for (auto action : {+read_info, +read_pixels}) {
      const std::string message = input_error_of(action, path);
      INFO("message: " << message);
      CHECK(message.find(path) != std::string::npos);
      CHECK(message.find("header") != std::string::npos);
      CHECK(message.find(c.expected) != std::string::npos);
    }
  }
  // The same file with its true size reads.
  write_png_claiming(path, 8, 6);
  CHECK(nerds::read_image(path, 4).width == 8);
}

TEST_CASE("16-bit PNG is read back by stbi_load_16 with the exact values") {
  nerds_test::TempFolder folder("png16");
  // 300x200x2 bytes spans two 64 KiB stored deflate blocks.
  const int width = 300, height = 200;
  std::vector<uint16_t> values(static_cast<size_t>(width) * height);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint16_t>((i * 2654435761u) >> 7);
  values[0] = 0;
  values[1] = 65535;
  values[2] = 0x0102;  // byte order: 258, not 513
  const std::string path = (folder.path() / "depth16.png").string();
  nerds::write_png16(path, width, height, values);

  int w = 0, h = 0, channels = 0;
  REQUIRE(stbi_is_16_bit(path.c_str()));
  stbi_us* data = stbi_load_16(path.c_str(), &w, &h, &channels, 0);
  REQUIRE(data != nullptr);
  CHECK(w == width);
  CHECK(h == height);
  CHECK(channels == 1);
  size_t mismatches = 0;
  for (size_t i = 0; i < values.size(); ++i) mismatches += data[i] != values[i];
  CHECK(mismatches == 0);
  CHECK(data[2] == 258);
  stbi_image_free(data);

  // stb does not verify CRCs; every PNG's IEND chunk has the well-known CRC AE 42 60 82.
  const std::vector<uint8_t> bytes = file_bytes(path);
  REQUIRE(bytes.size() > 12);
  const std::vector<uint8_t> iend(bytes.end() - 12, bytes.end());
  CHECK(iend == std::vector<uint8_t>{0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82});
}

TEST_CASE("downscale_image averages factor x factor blocks and crops the partial edge blocks") {
  Image8 image;
  image.width = 5;  // 5x3 by 2 -> 2x1: the last column and row are cropped
  image.height = 3;
  image.channels = 2;
  image.pixels.resize(5 * 3 * 2);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 5; ++x) {
      image.pixels[(y * 5 + x) * 2 + 0] = static_cast<uint8_t>(10 * x + 100 * y);
      image.pixels[(y * 5 + x) * 2 + 1] = static_cast<uint8_t>(x == 0 && y == 0 ? 1 : 0);
    }
  const Image8 half = nerds::downscale_image(image, 2);
  CHECK(half.width == 2);
  CHECK(half.height == 1);
  CHECK(half.channels == 2);
  REQUIRE(half.pixels.size() == 4u);
  CHECK(half.pixels[0] == 55);  // (0 + 10 + 100 + 110) / 4
  CHECK(half.pixels[1] == 0);   // 1/4 rounds to 0
  CHECK(half.pixels[2] == 75);  // (20 + 30 + 120 + 130) / 4
  CHECK(half.pixels[3] == 0);

  Image8 rounding = image;
  rounding.pixels[1] = 2;  // 2/4 = 0.5 rounds up
  CHECK(nerds::downscale_image(rounding, 2).pixels[1] == 1);

  CHECK(nerds::downscale_image(image, 1).pixels == image.pixels);
  CHECK_THROWS_AS(nerds::downscale_image(image, 0), nerds::InputError);
  CHECK_THROWS_AS(nerds::downscale_image(image, 4), nerds::InputError);  // 3 rows < 4
}

TEST_CASE("to_u8 rounds and clamps") {
  CHECK(nerds::to_u8(-0.5f) == 0);
  CHECK(nerds::to_u8(0.5f) == 128);
  CHECK(nerds::to_u8(1.f / 255.f) == 1);
  CHECK(nerds::to_u8(2.f) == 255);
}

// stb decodes BMP, TGA, PSD ... too, whose headers nothing checks against the file: a 32-byte
// TGA declaring 16384x16384 made stb allocate 1 GiB and fill it with zeros (found by
// fuzz/fuzz_image.cpp). Only PNG and JPG are read; the rest is refused by its signature.
TEST_CASE("image formats: only PNG and JPG are read, other formats stb knows are refused unread") {
  nerds_test::TempFolder folder("image_formats");
  const std::string tga = (folder.path() / "huge.tga").string();
  // TGA header: uncompressed true-color (type 2), 16384 x 16384, 24 bits; then 14 bytes of "pixels".
  const uint8_t header[18] = {0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x40, 0x00, 0x40, 24, 0};
  std::ofstream(tga, std::ios::binary).write(reinterpret_cast<const char*>(header), sizeof header) << "fourteen bytes";
  for (auto action : {+[](const std::string& p) { nerds::read_image_info(p); },
                      +[](const std::string& p) { nerds::read_image(p, 4); }}) {
    const std::string message = input_error_of(action, tga);
    CHECK(message.find(tga) != std::string::npos);
    CHECK(message.find("not a PNG or JPG") != std::string::npos);
  }
  const std::string jpg = (folder.path() / "small.jpg").string();
  const Image8 image = pattern_image(8, 8, 3);
  REQUIRE(stbi_write_jpg(jpg.c_str(), 8, 8, 3, image.pixels.data(), 90));
  CHECK(nerds::read_image(jpg, 4).width == 8);
}

// stb 2.27 decodes a scan whose Huffman table no DHT segment defined from uninitialised
// memory (an abort in its assert, found by fuzz/fuzz_image.cpp): such a JPG is refused first.
TEST_CASE("image formats: a JPG scan using an undefined Huffman table is refused unread") {
  nerds_test::TempFolder folder("jpg_tables");
  const std::string jpg = (folder.path() / "tables.jpg").string();
  const Image8 image = pattern_image(8, 8, 3);
  REQUIRE(stbi_write_jpg(jpg.c_str(), 8, 8, 3, image.pixels.data(), 90));
  CHECK(nerds::read_image(jpg, 4).width == 8);
  std::vector<uint8_t> bytes = file_bytes(jpg);
  size_t sos = 0;
  for (size_t i = 0; i + 1 < bytes.size() && !sos; ++i)
    if (bytes[i] == 0xFF && bytes[i + 1] == 0xDA) sos = i;
  REQUIRE(sos > 0);
  bytes[sos + 6] = 0x30;  // the first component's DC table: 3, which the file never defines
  std::ofstream(jpg, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  for (auto action : {+[](const std::string& p) { nerds::read_image_info(p); },
                      +[](const std::string& p) { nerds::read_image(p, 4); }}) {
    const std::string message = input_error_of(action, jpg);
    CHECK(message.find(jpg) != std::string::npos);
    CHECK(message.find("Huffman table") != std::string::npos);
  }
}
