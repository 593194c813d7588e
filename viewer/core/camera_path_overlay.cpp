#include "viewer/core/camera_path_overlay.h"

namespace nerds::viewer {

namespace {
constexpr int kCurveSegmentsPerKey = 24;  // enough for a smooth curve between two keys
}  // namespace

void add_camera_path_lines(LineSet& lines, const CameraPathEditor& e, const Dataset& train, float frustum_depth,
                           LineColor keys, LineColor selected, LineColor curve) {
  const CameraPath& path = e.path;
  for (size_t i = 0; i < path.keys.size(); ++i) {
    const Intrinsics k = intrinsics_for_fov(1, 1, path.keys[i].fov_y_deg);  // a square image
    add_frustum(lines, to_engine_frame(pose_of(path.keys[i]), train), k, frustum_depth,
                static_cast<int>(i) == e.selected ? selected : keys);
  }
  if (path.keys.size() < 2) return;
  const double total = path_seconds(path);
  const int segments = kCurveSegmentsPerKey * static_cast<int>(path.keys.size() - 1);
  Vec3 previous = to_engine_frame(camera_at(path, 0.0).pose, train).origin();
  for (int s = 1; s <= segments; ++s) {
    const Vec3 next = to_engine_frame(camera_at(path, total * s / segments).pose, train).origin();
    lines.add(previous, next, curve);
    previous = next;
  }
}

}  // namespace nerds::viewer
