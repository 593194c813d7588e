// Overlay geometry: the OpenGL matrix projects a known point to the pixel the engine's camera
// model gives (so lines sit on the render), boxes, frustums and the occupancy shell.
#include <doctest/doctest.h>

#include <array>

#include "viewer/core/camera_controller.h"
#include "viewer/core/overlay_geometry.h"
#include "viewer/core/view_geometry.h"

using namespace nerds;
using namespace nerds::viewer;

namespace {

// Window pixel (top-left origin) of a point through a column-major clip matrix and a viewport
// of width x height.
bool project(const std::array<float, 16>& m, Vec3 p, int width, int height, float* px, float* py) {
  float clip[4];
  for (int r = 0; r < 4; ++r) clip[r] = m[r] * p.x + m[4 + r] * p.y + m[8 + r] * p.z + m[12 + r];
  if (clip[3] <= 0.f) return false;
  *px = (clip[0] / clip[3] * 0.5f + 0.5f) * width;
  *py = (0.5f - clip[1] / clip[3] * 0.5f) * height;
  return std::abs(clip[2] / clip[3]) <= 1.f;
}

}  // namespace

TEST_CASE("overlays: the view-projection matrix lands a point on the engine's pixel") {
  const Pose pose = look_at(make_vec3(2.f, 0.3f, 1.f), make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 0.f, 1.f));
  Intrinsics k = intrinsics_for_fov(320, 200, 45.f);
  k.cx = 150.f;  // off-center principal point and non-square pixels
  k.fx *= 1.1f;
  const std::array<float, 16> m = view_projection(pose, k, 0.01f, 100.f);
  const Vec3 points[] = {make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.7f, 0.2f, 0.9f), make_vec3(0.1f, 0.6f, 0.3f)};
  for (const Vec3& p : points) {
    // The engine's projection: world -> camera (R^T (p - t)), then camera_to_pixel.
    const Vec3 q = p - pose.origin();
    const Vec3 pc = make_vec3(pose.m[0][0] * q.x + pose.m[1][0] * q.y + pose.m[2][0] * q.z,
                              pose.m[0][1] * q.x + pose.m[1][1] * q.y + pose.m[2][1] * q.z,
                              pose.m[0][2] * q.x + pose.m[1][2] * q.y + pose.m[2][2] * q.z);
    float ex = 0.f, ey = 0.f, gx = 0.f, gy = 0.f;
    REQUIRE(camera_to_pixel(k, pc, &ex, &ey));
    REQUIRE(project(m, p, k.width, k.height, &gx, &gy));
    CHECK(gx == doctest::Approx(ex).epsilon(1e-3));
    CHECK(gy == doctest::Approx(ey).epsilon(1e-3));
  }
  // The view's center pixel: the target of a look_at camera with a centered principal point.
  const Intrinsics centered = intrinsics_for_fov(320, 200, 45.f);
  float cx = 0.f, cy = 0.f;
  REQUIRE(project(view_projection(pose, centered, 0.01f, 100.f), make_vec3(0.5f, 0.5f, 0.5f), 320, 200, &cx, &cy));
  CHECK(cx == doctest::Approx(160.f).epsilon(1e-3));
  CHECK(cy == doctest::Approx(100.f).epsilon(1e-3));
}

TEST_CASE("overlays: a box has 12 edges, a frustum 10 segments") {
  LineSet lines;
  add_box(lines, make_vec3(0.f, 0.f, 0.f), make_vec3(1.f, 1.f, 1.f), {});
  CHECK(lines.vertex_count() == 24);
  CHECK(lines.rgba.size() == 4 * 24);
  lines.clear();
  add_frustum(lines, look_at(make_vec3(2.f, 0.f, 0.f), make_vec3(0.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f)),
              intrinsics_for_fov(100, 80, 40.f), 0.1f, {});
  CHECK(lines.vertex_count() == 20);
}

TEST_CASE("overlays: the occupancy shell merges cells and skips the interior") {
  OccupancyCells cells;
  cells.resolution = 8;
  cells.cascades = 1;
  cells.occupied.assign(512, 0);
  // A solid 4x4x4 block of grid cells: merged to 4 per side it is a 2x2x2 block, all shell.
  for (int z = 2; z < 6; ++z)
    for (int y = 2; y < 6; ++y)
      for (int x = 2; x < 6; ++x) cells.occupied[x + 8 * (y + 8 * z)] = 1;
  LineSet lines;
  CHECK(add_occupancy(lines, cells, 0, 4, {}) == 8);
  CHECK(lines.vertex_count() == 8 * 24);
  // At full resolution the block's one interior... a 4^3 block has 2^3 interior cells.
  lines.clear();
  CHECK(add_occupancy(lines, cells, 0, 8, {}) == 64 - 8);
  // Merged cells span the cascade's box [0, 1]^3.
  float lo = 1.f, hi = 0.f;
  for (size_t i = 0; i < lines.xyz.size(); ++i) {
    lo = std::min(lo, lines.xyz[i]);
    hi = std::max(hi, lines.xyz[i]);
  }
  CHECK(lo == doctest::Approx(0.25f));
  CHECK(hi == doctest::Approx(0.75f));
  CHECK(add_occupancy(lines, cells, 1, 8, {}) == 0);  // no such cascade
}
