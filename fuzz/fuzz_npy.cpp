// Fuzz target: the .npy reader (renderer/data/npy_file.cpp) and the LLFF loader behind it
// (renderer/data/llff_loader.cpp). The input is poses_bounds.npy; its folder holds images/
// with three 8x6 PNGs, so a well-formed 3 x 17 array reaches the camera normalization.
#include "fuzz/fuzz_support.h"
#include "renderer/data/dataset.h"
#include "renderer/data/npy_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nerds_fuzz::fs::path dir = [] {
    const nerds_fuzz::fs::path d = nerds_fuzz::scratch_subfolder("llff");
    nerds_fuzz::fs::create_directories(d / "images");
    for (const char* name : {"a.png", "b.png", "c.png"}) nerds_fuzz::write_tiny_png(d / "images" / name, 8, 6);
    return d;
  }();
  const nerds_fuzz::fs::path file = dir / "poses_bounds.npy";
  nerds_fuzz::write_bytes(file, data, size);
  nerds_fuzz::expect_input_error_or_success([&] {
    const nerds::NpyArray array = nerds::read_npy_f64(file.string());
    size_t count = 1;
    for (size_t s : array.shape) count *= s;
    if (array.values.size() != count) std::abort();  // the shape and the values disagree
  });
  return nerds_fuzz::expect_input_error_or_success([&] {
    nerds::DatasetOptions options;
    options.split = "all";
    nerds::load_dataset(dir.string(), options);
  });
}
