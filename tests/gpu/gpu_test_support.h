// Shared pieces of the GPU tests: the skip rule, error measures and a small synthetic
// training set (random images seen from a ring of cameras) that needs no files.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "renderer/backend/device_info.h"
#include "renderer/data/dataset.h"
#include "renderer/math/camera.h"
#include "renderer/math/rng.h"
#include "renderer/model/packed_model.h"
#include "renderer/train/trainer.h"

namespace nerds_test {

// n floats drawn uniformly from [lo, hi) by `rng` (the same on every machine).
inline std::vector<float> uniform(size_t n, nerds::Pcg32& rng, float lo, float hi) {
  std::vector<float> v(n);
  for (float& x : v) x = lo + (hi - lo) * rng.next_float();
  return v;
}

// Every GPU test case starts with this: without a usable device it prints the line ctest
// reports as skipped and the test returns.
inline bool gpu_or_skip() {
  const nerds::CudaDeviceInfo info = nerds::cuda_device_info();
  if (!info.available) std::printf("gpu test skipped: %s\n", info.reason.c_str());
  return info.available;
}

// ||a - b|| / ||b||: the error of a whole array, insensitive to single tiny entries.
inline double relative_l2(const std::vector<float>& a, const std::vector<float>& b) {
  double num = 0.0, den = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    num += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    den += double(b[i]) * b[i];
  }
  return a.size() == b.size() ? std::sqrt(num / std::max(den, 1e-30)) : 1e30;
}

// A trainer's whole model (its tensors with their Adam moments, and the occupancy values).
inline nerds::PackedModel packed(const nerds::Trainer& t) {
  return nerds::pack_model(t.param_tensors(), t.moments(), t.occupancy().values());
}

// What model holds of the tensors whose names start with `prefix` ("encoding.", "field.density."),
// one after the other in the list's order: their values, or their Adam first moments.
enum class Part { Values, AdamM };
inline std::vector<float> joined(const nerds::PackedModel& model, const std::string& prefix, Part part = Part::Values) {
  std::vector<float> out;
  for (const nerds::PackedTensor& t : model.tensors)
    if (t.info.name.compare(0, prefix.size(), prefix) == 0) {
      const std::vector<float>& v = part == Part::Values ? t.values : t.adam.m;
      out.insert(out.end(), v.begin(), v.end());
    }
  return out;
}

// Cameras on a ring around the unit cube's center, looking at it, with smooth random images
// (a few random color blobs, so that training has something to fit).
inline std::shared_ptr<nerds::Dataset> synthetic_dataset(int views, int size, uint64_t seed) {
  auto d = std::make_shared<nerds::Dataset>();
  d->format = "synthetic";
  d->split = "train";
  d->has_alpha = false;
  nerds::Pcg32 rng(seed, 1);
  for (int v = 0; v < views; ++v) {
    const float angle = 6.2831853f * v / views, height = 0.3f * std::sin(3.f * angle);
    const nerds::Vec3 center = nerds::make_vec3(0.5f, 0.5f, 0.5f);
    const nerds::Vec3 eye = nerds::make_vec3(0.5f + 1.2f * std::cos(angle), 0.5f + height, 0.5f + 1.2f * std::sin(angle));
    nerds::Frame f;
    f.pose = nerds::look_at(eye, center, nerds::make_vec3(0.f, 1.f, 0.f));
    f.intrinsics.fx = f.intrinsics.fy = 1.1f * size;
    f.intrinsics.cx = f.intrinsics.cy = 0.5f * size;
    f.intrinsics.width = f.intrinsics.height = size;
    d->frames.push_back(f);
  }
  d->lay_out_images();
  float blobs[8][6];
  for (auto& b : blobs)
    for (float& x : b) x = rng.next_float();
  for (int v = 0; v < views; ++v)
    for (int py = 0; py < size; ++py)
      for (int px = 0; px < size; ++px) {
        float c[3] = {0.1f, 0.1f, 0.1f};
        for (const auto& b : blobs) {
          const float dx = px / float(size) - b[0], dy = py / float(size) - b[1];
          const float w = std::exp(-(dx * dx + dy * dy) * 40.f) * (0.5f + 0.5f * std::cos(6.2831853f * (b[2] + v * 0.05f)));
          for (int k = 0; k < 3; ++k) c[k] += w * b[3 + k];
        }
        for (int k = 0; k < 3; ++k) d->rgba.push_back(static_cast<uint8_t>(std::min(c[k], 1.f) * 255.f));
        d->rgba.push_back(255);
      }
  return d;
}

// lego at 100 px for the GPU tests: $NERDS_DATA/lego_400 downscaled 4x (what
// scripts/gpu-check.sh carries to the GPU machine), else ../shared/datasets/lego_100.
// Empty when neither is there.
struct LegoData {
  std::string dir;
  int downscale = 1;
};
inline LegoData find_lego_100(const std::string& shared_datasets) {
  if (const char* env = std::getenv("NERDS_DATA")) {
    const std::string dir = std::string(env) + "/lego_400";
    if (std::filesystem::exists(dir + "/transforms_train.json")) return {dir, 4};
  }
  const std::string dir = shared_datasets + "/lego_100";
  if (std::filesystem::exists(dir + "/transforms_train.json")) return {dir, 1};
  return {};
}

}  // namespace nerds_test
