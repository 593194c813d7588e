// Render modes' colors: the error against a ground truth put over the render's background,
// and the color maps' ranges.
#include <doctest/doctest.h>

#include "viewer/core/image_colors.h"
#include "viewer/core/training_history.h"
#include "viewer/core/view_geometry.h"

using namespace nerds;
using namespace nerds::viewer;

TEST_CASE("colors: the ground truth is composited over the background and box-resampled") {
  Dataset d;
  d.frames.resize(1);
  d.frames[0].intrinsics.width = 2;
  d.frames[0].intrinsics.height = 2;
  d.lay_out_images();
  // Opaque red, transparent, half-transparent green, opaque white.
  d.rgba = {255, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0, 128, 255, 255, 255, 255};
  const float black[3] = {0.f, 0.f, 0.f};
  const std::vector<float> full = ground_truth_rgb(d, 0, black, 2, 2);
  CHECK(full[0] == doctest::Approx(1.f));
  CHECK(full[3] == doctest::Approx(0.f));
  CHECK(full[7] == doctest::Approx(128.f / 255.f).epsilon(1e-3));
  const std::vector<float> one = ground_truth_rgb(d, 0, black, 1, 1);
  CHECK(one[0] == doctest::Approx(0.5f));  // (1 + 0 + 0 + 1) / 4
}

TEST_CASE("colors: the error mode measures against the ground truth, and without one says why") {
  RenderedImage img;
  img.intrinsics = intrinsics_for_fov(2, 1, 40.f);
  img.buffers.resize(2);
  img.buffers.rgb = {0.5f, 0.5f, 0.5f, 1.f, 1.f, 1.f};
  const std::vector<float> truth = {0.5f, 0.5f, 0.5f, 0.f, 1.f, 1.f};
  const Colorized c = colorize(img, RenderMode::Error, truth);
  CHECK(c.mse == doctest::Approx(1.0 / 6.0));
  CHECK(c.note.empty());
  CHECK(c.image.rgba.size() == 8);
  const Colorized none = colorize(img, RenderMode::Error, {});
  CHECK_FALSE(none.note.empty());
  CHECK(none.image.rgba[0] == 128);                                                // the RGB image instead
  CHECK(colorize(img, RenderMode::Rgb, truth).mse == doctest::Approx(1.0 / 6.0));  // PSNR shown in any mode
}

TEST_CASE("colors: depth spans the hit pixels, samples span up to the most") {
  RenderedImage img;
  img.intrinsics = intrinsics_for_fov(3, 1, 40.f);
  img.buffers.resize(3);
  img.buffers.opacity = {1.f, 0.5f, 0.f};
  img.buffers.depth = {2.f, 0.5f, 0.f};  // sum w t: 2 and 1 after dividing by the opacity
  img.buffers.samples = {4, 8, 0};
  const Colorized d = colorize(img, RenderMode::Depth, {});
  CHECK(d.range[0] == doctest::Approx(1.f));
  CHECK(d.range[1] == doctest::Approx(2.f));
  CHECK(d.image.rgba[8] == 0);  // the empty pixel is black
  const Colorized s = colorize(img, RenderMode::Samples, {});
  CHECK(s.range[1] == doctest::Approx(8.f));
  uint8_t lo[3], hi[3];
  turbo(0.15f, lo);
  turbo(1.f, hi);
  CHECK(lo[2] > lo[0]);  // the blue end (0 itself is dark)
  CHECK(hi[0] > hi[2]);  // red end
}

TEST_CASE("history: rates over a window, PSNR from the loss, bounded size, reset on a new run") {
  TrainingHistory h(16);
  for (int i = 1; i <= 40; ++i) h.add({i, i * 0.5, i * 0.25, int64_t{1000} * i, 0.01f});
  CHECK(h.points().size() <= 16);
  CHECK(h.points().back().step == 40);
  CHECK(h.points().front().step == 1);  // the start stays, thinned
  const TrainingSeries s = training_series(h.points(), 4);
  CHECK(s.psnr.back() == doctest::Approx(20.f));
  CHECK(s.steps_per_second.back() == doctest::Approx(2.f));
  CHECK(s.samples_per_second.back() == doctest::Approx(4000.f));
  h.add({1, 0.0, 0.0, 0, 1.f});
  CHECK(h.points().size() == 1);
}
