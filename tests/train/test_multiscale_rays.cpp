// Training rays over images of several sizes (Mip-NeRF's multiscale Blender): the pixel is
// drawn uniformly over all pixels of all images, so each image gets rays in proportion to
// its pixel count; each ray stays inside its own image, passes through the pixel whose color
// it targets, and carries the image's normalized lossmult and its pixels' cone radius.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "renderer/backend/sample_buffer.h"
#include "renderer/data/dataset.h"
#include "renderer/math/training_ray.h"

using namespace nerds;

namespace {

// Four views of sides 16, 8, 4, 2 (the multiscale protocol's 1/1 to 1/8), lossmult 1 to 64;
// pixel (x, y) of frame i is (i, x, y, 255), so a ray's target says where it came from.
Dataset four_scale_dataset() {
  Dataset d;
  for (int i = 0; i < 4; ++i) {
    const int side = 16 >> i;
    Frame f;
    f.pose = look_at(make_vec3(0.5f + 0.3f * i, 0.5f, 2.f), make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 1.f, 0.f));
    f.intrinsics.width = f.intrinsics.height = side;
    f.intrinsics.fx = f.intrinsics.fy = 1.2f * side;
    f.intrinsics.cx = f.intrinsics.cy = 0.5f * side;
    f.lossmult = static_cast<float>(1 << (2 * i));
    d.frames.push_back(f);
  }
  d.lay_out_images();
  d.rgba.resize(d.total_pixels() * 4);
  for (size_t i = 0; i < d.frames.size(); ++i) {
    const FrameImage& f = d.frame_images[i];
    uint8_t* p = d.rgba.data() + f.first_pixel * 4;
    for (int y = 0; y < f.height; ++y)
      for (int x = 0; x < f.width; ++x, p += 4) {
        p[0] = static_cast<uint8_t>(i);
        p[1] = static_cast<uint8_t>(x);
        p[2] = static_cast<uint8_t>(y);
        p[3] = 255;
      }
  }
  return d;
}

struct ViewArrays {
  std::vector<Pose> poses;
  std::vector<Intrinsics> intrinsics;
  TrainingImagesView view;
};

ViewArrays view_of(const Dataset& d) {
  ViewArrays a;
  for (const Frame& f : d.frames) {
    a.poses.push_back(f.pose);
    a.intrinsics.push_back(f.intrinsics);
  }
  a.view.poses = a.poses.data();
  a.view.intrinsics = a.intrinsics.data();
  a.view.images = d.frame_images.data();
  a.view.rgba = d.rgba.data();
  a.view.n_images = static_cast<int>(d.frames.size());
  a.view.n_pixels = d.total_pixels();
  a.view.loss_weight_scale = d.loss_weight_scale();
  a.view.background = 1;  // white: opaque texels are their own target
  return a;
}

int byte_of(float v) { return static_cast<int>(std::lround(v * 255.f)); }

}  // namespace

TEST_CASE("multiscale rays: frame_holding_pixel finds the frame of the first and last pixel of each") {
  const Dataset d = four_scale_dataset();
  REQUIRE(d.total_pixels() == 256u + 64u + 16u + 4u);
  for (int i = 0; i < 4; ++i) {
    const FrameImage& f = d.frame_images[i];
    CHECK(frame_holding_pixel(d.frame_images.data(), 4, f.first_pixel) == i);
    CHECK(frame_holding_pixel(d.frame_images.data(), 4, f.first_pixel + pixel_count(f) - 1) == i);
  }
  CHECK(frame_holding_pixel(d.frame_images.data(), 1, 0) == 0);
}

TEST_CASE("multiscale rays: every image gets rays in proportion to its pixels, inside its own size") {
  const Dataset d = four_scale_dataset();
  const ViewArrays a = view_of(d);
  const double mean_lossmult = d.mean_lossmult();
  CHECK(mean_lossmult == doctest::Approx(4.0 * 256.0 / 340.0));  // each scale holds 256 lossmult-pixels
  constexpr int kRays = 34000;
  int per_frame[4] = {0, 0, 0, 0};
  int smallest_pixels[4] = {0, 0, 0, 0};  // the 2x2 image's four pixels
  double weight_sum = 0.0;
  for (int r = 0; r < kRays; ++r) {
    const TrainingRay tr = training_ray(a.view, 7, 3, r);
    const int frame = byte_of(tr.target[0]), x = byte_of(tr.target[1]), y = byte_of(tr.target[2]);
    REQUIRE(frame >= 0);
    REQUIRE(frame < 4);
    const Intrinsics& k = d.frames[frame].intrinsics;
    CHECK(x < k.width);
    CHECK(y < k.height);
    ++per_frame[frame];
    if (frame == 3) ++smallest_pixels[y * 2 + x];
    // The ray passes through the pixel it targets: back into that camera, it lands in (x, y).
    const Pose& p = d.frames[frame].pose;
    Vec3 cam;  // the direction in camera space: R^T d
    for (int c = 0; c < 3; ++c) cam[c] = p.m[0][c] * tr.ray.dir.x + p.m[1][c] * tr.ray.dir.y + p.m[2][c] * tr.ray.dir.z;
    float px = -1.f, py = -1.f;
    REQUIRE(camera_to_pixel(k, cam, &px, &py));
    CHECK(static_cast<int>(std::floor(px)) == x);
    CHECK(static_cast<int>(std::floor(py)) == y);
    // The image's lossmult, normalized so that the weights average 1 over the pixels.
    CHECK(tr.loss_weight == doctest::Approx(d.frames[frame].lossmult / mean_lossmult).epsilon(1e-6));
    // Mip-NeRF's cone through this image's pixels, as renders compute it.
    CHECK(tr.pixel_radius == doctest::Approx(pixel_cone_radius(k.fx)).epsilon(1e-6));
    weight_sum += tr.loss_weight;
  }
  for (int i = 0; i < 4; ++i) {
    CAPTURE(i);
    const double expected = kRays * static_cast<double>(d.pixel_count(i)) / d.total_pixels();
    CHECK(std::fabs(per_frame[i] - expected) < 5.0 * std::sqrt(expected));  // 5 sigma of a binomial count
  }
  for (int hits : smallest_pixels) CHECK(std::fabs(hits - 100.0) < 50.0);  // 400 rays over 4 pixels
  CHECK(weight_sum / kRays == doctest::Approx(1.0).epsilon(0.05));
}

TEST_CASE("multiscale rays: with one image size and no lossmult, every weight is exactly 1") {
  Dataset d = four_scale_dataset();
  for (Frame& f : d.frames) {
    f.intrinsics = d.frames[0].intrinsics;
    f.lossmult = 1.f;
  }
  d.lay_out_images();
  d.rgba.assign(d.total_pixels() * 4, 255);
  const ViewArrays a = view_of(d);
  CHECK(d.one_image_size());
  CHECK(a.view.loss_weight_scale == 1.f);
  int per_frame[4] = {0, 0, 0, 0};
  for (int r = 0; r < 4000; ++r) {
    const TrainingRay tr = training_ray(a.view, 1, 0, r);
    CHECK(tr.loss_weight == 1.f);
    // Which frame: the ray starts at that frame's camera.
    for (int i = 0; i < 4; ++i)
      if (length(tr.ray.origin - d.frames[i].pose.origin()) < 1e-6f) ++per_frame[i];
  }
  for (int count : per_frame) CHECK(std::fabs(count - 1000.0) < 5.0 * std::sqrt(750.0));
}
