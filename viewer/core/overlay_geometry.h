// The scene overlays as line segments in the engine's frame (training camera frustums, the
// scene box, occupied cells of the occupancy grid, inspected rays), and the OpenGL matrix
// that projects them exactly as the engine's pinhole camera projects the scene, so lines and
// render line up. Plain data; gl/line_renderer draws it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "renderer/engine.h"

namespace nerds::viewer {

struct LineColor {
  uint8_t r = 255, g = 255, b = 255, a = 255;
};

// Segments: two vertices each.
struct LineSet {
  std::vector<float> xyz;     // 3 per vertex
  std::vector<uint8_t> rgba;  // 4 per vertex
  size_t vertex_count() const { return xyz.size() / 3; }
  void clear() {
    xyz.clear();
    rgba.clear();
  }
  void add(Vec3 a, Vec3 b, LineColor c);
};

// The 12 edges of an axis-aligned box.
void add_box(LineSet& lines, Vec3 lo, Vec3 hi, LineColor c);
// A camera's frustum: apex at its center, the image rectangle `depth` away along its axis,
// and a small triangle on the image's top edge showing which way is up.
void add_frustum(LineSet& lines, const Pose& pose, const Intrinsics& k, float depth, LineColor c);
// The occupied cells of one cascade, merged to `resolution` cells per side (a merged cell is
// occupied when any of its cells is), drawing only cells with an empty neighbor (the shell:
// the interior adds lines but nothing to see). Returns the number of cells drawn.
size_t add_occupancy(LineSet& lines, const OccupancyCells& cells, int cascade, int resolution, LineColor c);

// Column-major 4x4 matrix from the engine's frame to OpenGL clip space for camera `pose` with
// pinhole `k`: a point lands on the pixel camera_to_pixel() gives (the viewport must be the
// image's rectangle). Distortion is ignored.
std::array<float, 16> view_projection(const Pose& pose, const Intrinsics& k, float near_plane, float far_plane);

}  // namespace nerds::viewer
