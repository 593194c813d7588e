#include "viewer/core/view_tracker.h"

#include <cmath>
#include <cstring>

#include "viewer/core/dataset_cameras.h"
#include "viewer/core/render_mode_layers.h"

namespace nerds::viewer {

namespace {

bool same_target(const RenderTarget& a, const RenderTarget& b) {
  const Intrinsics &p = a.intrinsics, &q = b.intrinsics;
  return std::memcmp(&a.pose, &b.pose, sizeof(Pose)) == 0 && p.width == q.width && p.height == q.height &&
         p.fx == q.fx && p.fy == q.fy && p.cx == q.cx && p.cy == q.cy && p.k1 == q.k1 && p.k2 == q.k2 && p.p1 == q.p1 &&
         p.p2 == q.p2 && std::memcmp(a.background, b.background, sizeof a.background) == 0 &&
         a.layer.layer == b.layer.layer && a.layer.image == b.layer.image;
}

}  // namespace

const ViewTarget& ViewTracker::update(const ViewerState& state, const SceneInfo* scene, const Rect& view_rect) {
  ViewTarget next;
  next.valid = scene != nullptr && view_rect.w >= 1.f && view_rect.h >= 1.f;
  if (!next.valid) {
    current_.valid = false;
    return current_;
  }
  std::memcpy(next.target.background, state.view.background, sizeof next.target.background);
  next.target.layer = mode_layer(state.view, *scene);
  if (const Frame* f = dataset_frame(*scene, state.view.dataset_view)) {
    // Exactly the dataset camera, at its resolution: the error against the ground truth is
    // then pixel for pixel.
    next.dataset_view = state.view.dataset_view;
    next.target.pose = f->pose;
    next.target.intrinsics = f->intrinsics;
    next.image_rect = fit_rect(view_rect, f->intrinsics.width, f->intrinsics.height);
  } else {
    const float scale = state.view.render_scale;
    const int w = std::max(1, static_cast<int>(std::lround(view_rect.w * scale)));
    const int h = std::max(1, static_cast<int>(std::lround(view_rect.h * scale)));
    next.target.pose = state.camera.pose();
    next.target.intrinsics = intrinsics_for_fov(w, h, state.camera.state().fov_deg);
    next.image_rect = view_rect;
  }
  if (current_.valid && same_target(current_.target, next.target)) {
    next.target.version = current_.target.version;
  } else {
    next.target.version = next_version_++;
  }
  current_ = next;
  return current_;
}

}  // namespace nerds::viewer
