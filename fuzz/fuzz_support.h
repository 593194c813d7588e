// Shared by the fuzz targets (fuzz/fuzz_*.cpp): a scratch folder per process, writing the
// fuzz input where a loader that reads from a path finds it, and the tiny images the dataset
// loaders need beside their JSON. A target calls the loader and lets through only the
// engine's InputError (bad input well reported); any other exception, a crash, a hang or a
// huge allocation is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"
#include "renderer/error.h"

namespace nerds_fuzz {

namespace fs = std::filesystem;

// A fresh folder under $TMPDIR for this process, removed at exit.
inline const fs::path& scratch_folder() {
  static const fs::path folder = [] {
    std::string pattern = (fs::temp_directory_path() / "nerds_fuzz_XXXXXX").string();
    if (!::mkdtemp(pattern.data())) std::abort();
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(scratch_folder(), ignored);
    });
    return fs::path(pattern);
  }();
  return folder;
}

// A subfolder of the scratch folder (created once).
inline fs::path scratch_subfolder(const std::string& name) {
  const fs::path path = scratch_folder() / name;
  fs::create_directories(path);
  return path;
}

inline void write_bytes(const fs::path& path, const uint8_t* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) std::abort();  // the harness itself failed, not the code under test
}

// A width x height RGBA PNG with a simple gradient (the loaders only check sizes and decode it).
inline void write_tiny_png(const fs::path& path, int width, int height) {
  nerds::Image8 image;
  image.width = width;
  image.height = height;
  image.channels = 4;
  image.pixels.resize(static_cast<size_t>(width) * height * 4);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(i * 37);
  nerds::write_png(path.string(), image);
}

// A dataset folder for the JSON loaders' targets: r_0.png and r_1.png (8x6) and small.png
// (4x3), which the seeds' frames name.
inline fs::path dataset_folder(const std::string& name) {
  const fs::path folder = scratch_subfolder(name);
  write_tiny_png(folder / "r_0.png", 8, 6);
  write_tiny_png(folder / "r_1.png", 8, 6);
  write_tiny_png(folder / "small.png", 4, 3);
  return folder;
}

// Runs `load` on the input; the engine's InputError is the expected way to refuse bad input.
// NERDS_FUZZ_VERBOSE=1 prints how each input ended (to check that a seed loads, or why not).
template <class Load>
int expect_input_error_or_success(Load&& load) {
  static const bool verbose = std::getenv("NERDS_FUZZ_VERBOSE") != nullptr;
  try {
    load();
    if (verbose) std::fprintf(stderr, "  loaded\n");
  } catch (const nerds::InputError& e) {
    if (verbose) std::fprintf(stderr, "  InputError: %s\n", e.what());
  }
  return 0;
}

// The dataset JSON targets: the input as `json_file` in the dataset folder `name`, loaded
// whole (images included) with load_dataset for `split`.
inline int load_dataset_json(const std::string& name, const std::string& json_file, const std::string& split,
                             const uint8_t* data, size_t size) {
  static const fs::path dir = dataset_folder(name);  // one dataset target per process
  write_bytes(dir / json_file, data, size);
  return expect_input_error_or_success([&] {
    nerds::DatasetOptions options;
    options.split = split;
    nerds::load_dataset(dir.string(), options);
  });
}

}  // namespace nerds_fuzz
