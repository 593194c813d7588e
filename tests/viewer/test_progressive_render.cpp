// Progressive rendering's plan (levels and bands) and the intrinsics it derives: a band or a
// pixel of a view renders exactly the rays of that part of the full view.
#include <doctest/doctest.h>

#include <cmath>

#include "viewer/core/progressive_render.h"
#include "viewer/core/view_geometry.h"

using namespace nerds;
using namespace nerds::viewer;

namespace {

// The ray direction (camera space, z = -1) through pixel center (x, y) of k.
Vec3 dir_at(const Intrinsics& k, float x, float y) { return pixel_to_camera_dir(k, x + 0.5f, y + 0.5f); }

bool same(Vec3 a, Vec3 b) { return length(a - b) < 1e-5f; }

}  // namespace

TEST_CASE("progressive: levels double the resolution up to full size, the first within the coarse budget") {
  const Intrinsics k = intrinsics_for_fov(640, 480, 50.f);
  const std::vector<int> d = progressive_divisors(k, 12000);
  REQUIRE(d.size() >= 2);
  CHECK(d.back() == 1);
  for (size_t i = 1; i < d.size(); ++i) CHECK(d[i - 1] == 2 * d[i]);
  const Intrinsics coarse = downscaled(k, d.front());
  CHECK(coarse.width * coarse.height <= 12000);
  CHECK(progressive_divisors(intrinsics_for_fov(50, 50, 50.f), 12000) == std::vector<int>{1});
}

TEST_CASE("progressive: a downscaled view keeps the field of view") {
  const Intrinsics k = intrinsics_for_fov(640, 480, 50.f);
  const Intrinsics d = downscaled(k, 4);
  CHECK(d.width == 160);
  CHECK(d.height == 120);
  CHECK(fov_y_deg_of(d) == doctest::Approx(50.f).epsilon(1e-4));
  // The image corners look along the same directions.
  CHECK(same(pixel_to_camera_dir(k, 0.f, 0.f), pixel_to_camera_dir(d, 0.f, 0.f)));
  CHECK(same(pixel_to_camera_dir(k, 640.f, 480.f), pixel_to_camera_dir(d, 160.f, 120.f)));
}

TEST_CASE("progressive: a band and a pixel of a view are the same rays as in the whole view") {
  Intrinsics k = intrinsics_for_fov(64, 48, 60.f);
  k.k1 = 0.05f;  // distortion too: the shift must happen before undistortion
  const Intrinsics band = band_of(k, 10, 5);
  CHECK(band.height == 5);
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 64; x += 7) CHECK(same(dir_at(band, x, y), dir_at(k, x, 10 + y)));
  const Intrinsics px = pixel_of(k, 20.25f, 30.75f);
  CHECK(px.width == 1);
  CHECK(same(pixel_to_camera_dir(px, 0.5f, 0.5f), pixel_to_camera_dir(k, 20.25f, 30.75f)));
}

TEST_CASE("progressive: bands cover every row of every level once, and the image is assembled in order") {
  RenderTarget t;
  t.version = 7;
  t.intrinsics = intrinsics_for_fov(100, 60, 50.f);
  ProgressiveRender job;
  job.start(t, 1000, false);
  const int levels = job.levels();
  CHECK(levels == 3);  // 25x15 = 375 rays, then 50x30, then 100x60
  int completed = 0;
  while (job.active()) {
    const ProgressiveRender::Band b = job.next_band(120);
    CHECK(b.rows >= 1);
    CHECK(b.rows * b.level.width <= std::max(120, b.level.width));
    RenderBuffers out;
    out.resize(static_cast<size_t>(b.rows) * b.level.width);
    for (int y = 0; y < b.rows; ++y)
      for (int x = 0; x < b.level.width; ++x) out.depth[static_cast<size_t>(y) * b.level.width + x] = float(b.y0 + y);
    if (job.store(b, out, 5)) {
      const ProgressiveRender::Level done = job.take_level();
      const Intrinsics& level = done.intrinsics;
      const RenderBuffers& img = done.buffers;
      REQUIRE(img.depth.size() == static_cast<size_t>(level.width) * level.height);
      for (int y = 0; y < level.height; ++y) CHECK(img.depth[static_cast<size_t>(y) * level.width] == float(y));
      CHECK(done.model_step == 5);
      ++completed;
      if (!job.active()) CHECK(done.divisor == 1);
    }
  }
  CHECK(completed == levels);

  job.start(t, 1000, true);  // a refresh: only the full size
  CHECK(job.levels() == 1);
  CHECK(job.next_band(1 << 20).rows == 60);
}

TEST_CASE("progressive: a band of another model state restarts its level, so a level shows one state") {
  RenderTarget t;
  t.version = 1;
  t.intrinsics = intrinsics_for_fov(20, 12, 50.f);
  ProgressiveRender job;
  job.start(t, 1000, true);  // one level of 12 rows, in bands of 4
  auto band = [&](int step) {
    const ProgressiveRender::Band b = job.next_band(4 * 20);
    RenderBuffers out;
    out.resize(static_cast<size_t>(b.rows) * b.level.width);
    return job.store(b, out, step);
  };
  CHECK_FALSE(band(3));
  CHECK(job.level_step() == 3);
  CHECK_FALSE(band(4));  // the model moved on: the level starts again
  CHECK(job.restarts() == 1);
  CHECK(job.level_step() == -1);
  CHECK(job.next_band(80).y0 == 0);
  CHECK_FALSE(band(4));
  CHECK_FALSE(band(4));
  CHECK(band(4));
  const ProgressiveRender::Level done = job.take_level();
  CHECK(done.model_step == 4);
  CHECK(done.band_steps == std::vector<int>{4, 4, 4});
  CHECK_FALSE(job.active());
}

TEST_CASE("view geometry: letterboxing and screen-to-image mapping") {
  const Rect area{100.f, 0.f, 600.f, 400.f};
  const Rect r = fit_rect(area, 100, 100);
  CHECK(r.w == doctest::Approx(400.f));
  CHECK(r.x == doctest::Approx(200.f));
  float px = 0.f, py = 0.f;
  CHECK(screen_to_image(r, 100, 100, 400.f, 200.f, &px, &py));
  CHECK(px == doctest::Approx(50.f));
  CHECK(py == doctest::Approx(50.f));
  CHECK_FALSE(screen_to_image(r, 100, 100, 150.f, 200.f, &px, &py));
}
