// Fuzz target: a NeRF-synthetic transforms_train.json (renderer/data/nerf_synthetic_loader.cpp),
// loaded whole with load_dataset, images included. The input is the JSON file in a folder with
// three small PNGs (nerds_fuzz::dataset_folder).
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return nerds_fuzz::load_dataset_json("nerf_synthetic_json", "transforms_train.json", "train", data, size);
}
