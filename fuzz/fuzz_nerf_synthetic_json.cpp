// Fuzz target: a NeRF-synthetic transforms_train.json (renderer/data/nerf_synthetic_loader.cpp),
// loaded whole with load_dataset, images included. The input is the JSON file; its folder
// holds r_0.png and r_1.png (8x6) and small.png (4x3), which the seeds' frames name.
#include "fuzz/fuzz_support.h"
#include "renderer/data/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nerds_fuzz::fs::path dir = [] {
    const nerds_fuzz::fs::path d = nerds_fuzz::scratch_subfolder("nerf_synthetic");
    nerds_fuzz::write_tiny_png(d / "r_0.png", 8, 6);
    nerds_fuzz::write_tiny_png(d / "r_1.png", 8, 6);
    nerds_fuzz::write_tiny_png(d / "small.png", 4, 3);
    return d;
  }();
  nerds_fuzz::write_bytes(dir / "transforms_train.json", data, size);
  return nerds_fuzz::expect_input_error_or_success([&] {
    nerds::DatasetOptions options;
    options.split = "train";
    nerds::load_dataset(dir.string(), options);
  });
}
