// Fuzz target: the image decoder (renderer/data/image_io.cpp, stb behind it). The input is
// the image file; it is read by header (read_image_info), as stored, and as RGBA (what the
// dataset loaders ask for), then box-downscaled as a dataset loaded at downscale 2 would be.
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = (nerds_fuzz::scratch_subfolder("image") / "input.png").string();
  nerds_fuzz::write_bytes(path, data, size);
  return nerds_fuzz::expect_input_error_or_success([&] {
    nerds::read_image_info(path);
    const nerds::Image8 stored = nerds::read_image(path, 0);
    const nerds::Image8 rgba = nerds::read_image(path, 4);
    if (stored.pixels.size() != static_cast<size_t>(stored.width) * stored.height * stored.channels ||
        rgba.pixels.size() != static_cast<size_t>(rgba.width) * rgba.height * 4)
      std::abort();  // the decoder's size and its pixel count disagree
    if (rgba.width >= 2 && rgba.height >= 2) nerds::downscale_image(rgba, 2);
  });
}
