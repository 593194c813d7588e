// One training ray (Instant-NGP, Sec. 5.2): a random pixel of a random training image, a
// random point inside that pixel, and the pixel's color composited over the training
// background. Each ray has its own random stream keyed by (seed, step, ray index), so both
// backends draw exactly the same rays for a step, in any order and on any number of threads.
#pragma once

#include <cstdint>

#include "renderer/math/camera.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/hd.h"
#include "renderer/math/rng.h"

namespace nerds {

// The training images as plain arrays (host or device memory).
struct TrainingImagesView {
  const Pose* poses = nullptr;
  const Intrinsics* intrinsics = nullptr;
  const uint8_t* rgba = nullptr;  // RGBA8 straight alpha, image after image
  int n_images = 0, width = 0, height = 0;
  int background = 0;             // 0 random, 1 white, 2 black (the Background enum)
};

struct TrainingRay {
  Ray ray;
  float target[3];      // the pixel over the background
  float background[3];  // the color behind the scene for this ray
  float jitter;         // in [0,1): offset of the first sample, in steps
};

NERDS_HD TrainingRay training_ray(const TrainingImagesView& v, uint64_t seed, int step, int ray_index) {
  Pcg32 rng(seed, (static_cast<uint64_t>(static_cast<uint32_t>(step)) << 32) | static_cast<uint32_t>(ray_index));
  const uint32_t img = rng.next_uint() % static_cast<uint32_t>(v.n_images);
  const uint32_t px = rng.next_uint() % static_cast<uint32_t>(v.width);
  const uint32_t py = rng.next_uint() % static_cast<uint32_t>(v.height);
  TrainingRay r;
  r.ray = camera_ray(v.poses[img], v.intrinsics[img], px + rng.next_float(), py + rng.next_float());
  const uint8_t* texel = v.rgba + ((static_cast<size_t>(img) * v.height + py) * v.width + px) * 4;
  const float a = texel[3] * (1.f / 255.f);
  for (int k = 0; k < 3; ++k) {
    const float bg = v.background == 0 ? rng.next_float() : v.background == 1 ? 1.f : 0.f;
    r.background[k] = bg;
    r.target[k] = texel[k] * (1.f / 255.f) * a + bg * (1.f - a);
  }
  r.jitter = rng.next_float();
  return r;
}

}  // namespace nerds
