// Fuzz target: an instant-ngp / nerfstudio transforms.json (renderer/data/transforms_loader.cpp),
// loaded whole with load_dataset, images included. The input is the JSON file in a folder with
// three small PNGs (nerds_fuzz::dataset_folder).
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return nerds_fuzz::load_dataset_json("transforms_json", "transforms.json", "all", data, size);
}
