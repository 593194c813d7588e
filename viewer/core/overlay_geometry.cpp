#include "viewer/core/overlay_geometry.h"

#include <algorithm>

namespace nerds::viewer {

void LineSet::add(Vec3 a, Vec3 b, LineColor c) {
  xyz.insert(xyz.end(), {a.x, a.y, a.z, b.x, b.y, b.z});
  rgba.insert(rgba.end(), {c.r, c.g, c.b, c.a, c.r, c.g, c.b, c.a});
}

void add_box(LineSet& lines, Vec3 lo, Vec3 hi, LineColor c) {
  auto corner = [&](int i) { return make_vec3(i & 1 ? hi.x : lo.x, i & 2 ? hi.y : lo.y, i & 4 ? hi.z : lo.z); };
  for (int i = 0; i < 8; ++i) {
    for (int axis = 1; axis < 8; axis <<= 1) {
      if (!(i & axis)) lines.add(corner(i), corner(i | axis), c);
    }
  }
}

void add_frustum(LineSet& lines, const Pose& pose, const Intrinsics& k, float depth, LineColor c) {
  const Vec3 apex = pose.origin();
  // Image corners at `depth` along the axis (camera space z = -depth).
  const float px[4] = {0.f, static_cast<float>(k.width), static_cast<float>(k.width), 0.f};
  const float py[4] = {0.f, 0.f, static_cast<float>(k.height), static_cast<float>(k.height)};
  Vec3 corner[4];
  for (int i = 0; i < 4; ++i) {
    const Vec3 dir = pixel_to_camera_dir(k, px[i], py[i]);  // z == -1
    corner[i] = pose.apply(dir * depth);
  }
  for (int i = 0; i < 4; ++i) {
    lines.add(apex, corner[i], c);
    lines.add(corner[i], corner[(i + 1) % 4], c);
  }
  // "Up": a triangle over the top edge (corners 0 and 1 are the top row).
  const Vec3 mid = (corner[0] + corner[1]) * 0.5f;
  const Vec3 up = pose.rotate(make_vec3(0.f, 1.f, 0.f)) * (0.25f * length(corner[1] - corner[0]));
  lines.add(corner[0] + (mid - corner[0]) * 0.5f, mid + up, c);
  lines.add(mid + up, corner[1] + (mid - corner[1]) * 0.5f, c);
}

size_t add_occupancy(LineSet& lines, const OccupancyCells& cells, int cascade, int resolution, LineColor c) {
  const int res = cells.resolution;
  if (res <= 0 || cascade < 0 || cascade >= cells.cascades) return 0;
  const int r = std::clamp(resolution, 1, res);
  const int f = (res + r - 1) / r;  // grid cells per merged cell, per side
  const size_t per_cascade = static_cast<size_t>(res) * res * res;
  std::vector<uint8_t> merged(static_cast<size_t>(r) * r * r, 0);
  const uint8_t* occ = cells.occupied.data() + cascade * per_cascade;
  for (int z = 0; z < res; ++z)
    for (int y = 0; y < res; ++y)
      for (int x = 0; x < res; ++x)
        if (occ[x + static_cast<size_t>(res) * (y + static_cast<size_t>(res) * z)])
          merged[x / f + static_cast<size_t>(r) * (y / f + static_cast<size_t>(r) * (z / f))] = 1;
  auto at = [&](int x, int y, int z) {
    if (x < 0 || y < 0 || z < 0 || x >= r || y >= r || z >= r) return false;
    return merged[x + static_cast<size_t>(r) * (y + static_cast<size_t>(r) * z)] != 0;
  };
  // Cascade c covers 0.5 +- 2^c / 2; a merged cell spans f grid cells.
  const float size = static_cast<float>(1 << cascade), cell = size * f / res, origin = 0.5f - 0.5f * size;
  size_t drawn = 0;
  for (int z = 0; z < r; ++z)
    for (int y = 0; y < r; ++y)
      for (int x = 0; x < r; ++x) {
        if (!at(x, y, z)) continue;
        if (at(x - 1, y, z) && at(x + 1, y, z) && at(x, y - 1, z) && at(x, y + 1, z) && at(x, y, z - 1) &&
            at(x, y, z + 1))
          continue;
        const Vec3 lo = make_vec3(origin + x * cell, origin + y * cell, origin + z * cell);
        add_box(lines, lo, lo + make_vec3(cell, cell, cell), c);
        ++drawn;
      }
  return drawn;
}

std::array<float, 16> view_projection(const Pose& pose, const Intrinsics& k, float n, float f) {
  // World -> camera: R^T (p - t). Rows of the 3x4 view matrix.
  float view[3][4];
  const Vec3 t = pose.origin();
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) view[r][c] = pose.m[c][r];
    view[r][3] = -(pose.m[0][r] * t.x + pose.m[1][r] * t.y + pose.m[2][r] * t.z);
  }
  // Camera -> clip, for camera_to_pixel's pinhole (camera looks down -z, pixel rows go down):
  //   clip_x = 2 fx / w X - (2 cx / w - 1) Z,  clip_y = 2 fy / h Y + (2 cy / h - 1) Z,  clip_w = -Z.
  const float w = static_cast<float>(k.width), h = static_cast<float>(k.height);
  float proj[4][4] = {{2.f * k.fx / w, 0.f, 1.f - 2.f * k.cx / w, 0.f},
                      {0.f, 2.f * k.fy / h, 2.f * k.cy / h - 1.f, 0.f},
                      {0.f, 0.f, -(f + n) / (f - n), -2.f * f * n / (f - n)},
                      {0.f, 0.f, -1.f, 0.f}};
  std::array<float, 16> m{};
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) {
      float v = c == 3 ? proj[r][3] : 0.f;
      for (int i = 0; i < 3; ++i) v += proj[r][i] * view[i][c];
      m[c * 4 + r] = v;  // column-major
    }
  }
  return m;
}

}  // namespace nerds::viewer
