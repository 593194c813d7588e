// One training ray (Instant-NGP, Sec. 5.4): a random pixel of the training images, a random
// point inside that pixel, and the pixel's color composited over the training background.
// Each ray has its own random stream keyed by (seed, step, ray index), so both backends draw
// exactly the same rays for a step, in any order and on any number of threads.
//
// The pixel is drawn uniformly over ALL pixels of all images, as Mip-NeRF trains on its
// multiscale Blender (Barron et al. 2021, Sec. 4): an image of 1/8 size gets 1/64 of a full
// one's rays, and its rays carry the image's lossmult (the pixel's area in full-resolution
// pixels) as the weight of their loss. With images of one size this is the usual draw of a
// uniform image, then a uniform pixel of it.
#pragma once

#include <cstdint>

#include "renderer/math/camera.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/frame_image.h"
#include "renderer/math/hd.h"
#include "renderer/math/pixel_cone.h"
#include "renderer/math/rng.h"

namespace nerds {

// The training images as plain arrays (host or device memory).
struct TrainingImagesView {
  const Pose* poses = nullptr;
  const Intrinsics* intrinsics = nullptr;
  const FrameImage* images = nullptr;  // per frame: its size, where its pixels start, its lossmult
  const uint8_t* rgba = nullptr;       // RGBA8 straight alpha, the images back to back
  int n_images = 0;
  uint64_t n_pixels = 0;  // of all images together
  // 1 / (the mean lossmult over all pixels): the loss weights average 1 over the draws, so
  // weighting changes which pixels count, not the loss's scale (Mip-NeRF divides the batch's
  // weighted squared error by the sum of its weights).
  float loss_weight_scale = 1.f;
  int background = 0;  // 0 random, 1 white, 2 black (the Background enum)
};

struct TrainingRay {
  Ray ray;
  float target[3];      // the pixel over the background
  float background[3];  // the color behind the scene for this ray
  float jitter;         // in [0,1): offset of the first sample, in steps
  float loss_weight;    // the image's lossmult * loss_weight_scale (applied by Mip-NeRF's area loss)
  float pixel_radius;   // Mip-NeRF's cone radius per unit distance for this image's pixels
  int image;            // the training frame the pixel lies in (per-image models: NeRF-W, BARF)
};

// The ray's random stream, and from it the pixel (index into all images' pixels): the first
// draws of training_ray, so that its weight can be found again without the rest of the ray.
NERDS_HD Pcg32 training_ray_stream(uint64_t seed, int step, int ray_index) {
  return Pcg32(seed, (static_cast<uint64_t>(static_cast<uint32_t>(step)) << 32) | static_cast<uint32_t>(ray_index));
}
NERDS_HD uint64_t draw_training_pixel(const TrainingImagesView& v, Pcg32& rng) {
  // 64 random bits: a modulo of 32 would favor some pixels by up to 2% on 85M pixels.
  const uint64_t high = rng.next_uint();
  const uint64_t bits = (high << 32) | rng.next_uint();
  return bits % v.n_pixels;
}

NERDS_HD TrainingRay training_ray(const TrainingImagesView& v, uint64_t seed, int step, int ray_index) {
  Pcg32 rng = training_ray_stream(seed, step, ray_index);
  const uint64_t pixel = draw_training_pixel(v, rng);
  const int img = frame_holding_pixel(v.images, v.n_images, pixel);
  const FrameImage& image = v.images[img];
  const uint64_t local = pixel - image.first_pixel;
  const uint32_t px = static_cast<uint32_t>(local % static_cast<uint32_t>(image.width));
  const uint32_t py = static_cast<uint32_t>(local / static_cast<uint32_t>(image.width));
  // Named draws: the order in which function arguments are evaluated is unspecified, and
  // both backends must draw alike.
  const float within_x = rng.next_float();
  const float within_y = rng.next_float();
  TrainingRay r;
  r.ray = camera_ray(v.poses[img], v.intrinsics[img], px + within_x, py + within_y);
  const uint8_t* texel = v.rgba + pixel * 4;
  const float a = texel[3] * (1.f / 255.f);
  for (int k = 0; k < 3; ++k) {
    const float bg = v.background == 0 ? rng.next_float() : v.background == 1 ? 1.f : 0.f;
    r.background[k] = bg;
    r.target[k] = texel[k] * (1.f / 255.f) * a + bg * (1.f - a);
  }
  r.jitter = rng.next_float();
  r.loss_weight = image.lossmult * v.loss_weight_scale;
  r.pixel_radius = cone_radius_per_unit_distance(v.intrinsics[img].fx);
  r.image = img;
  return r;
}

}  // namespace nerds
