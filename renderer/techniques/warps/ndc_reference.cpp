#include "renderer/techniques/warps/ndc_reference.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "renderer/math/camera_ray.h"

namespace nerds {

namespace {

// A camera more than this far from the mean view direction is not forward-facing (LLFF's
// captures stay within about 15 degrees; a 360 capture spans 180).
constexpr double kMaxAngleDeg = 40.0;
constexpr float kBoundFactor = 0.75f;  // NeRF's bd_factor: the near plane at 0.75 x the nearest content

NdcReference invalid(const std::string& why) {
  NdcReference r;
  r.why_not = why;
  return r;
}

Vec3 column(const Pose& p, int c) { return make_vec3(p.m[0][c], p.m[1][c], p.m[2][c]); }

// The mean pose of the frames, in world units.
Pose mean_pose(const Dataset& data) {
  Vec3 center, back, up;
  for (const Frame& f : data.frames) {
    center = center + (f.pose.origin() - data.offset) * (1.f / data.scale);
    back = back + column(f.pose, 2);
    up = up + column(f.pose, 1);
  }
  center = center * (1.f / static_cast<float>(data.frames.size()));
  const Vec3 z = normalize(back), x = normalize(cross(up, z)), y = cross(z, x);
  Pose p;
  for (int r = 0; r < 3; ++r) {
    p.m[r][0] = x[r];
    p.m[r][1] = y[r];
    p.m[r][2] = z[r];
    p.m[r][3] = center[r];
  }
  return p;
}

// The smallest depth (along -z of the reference) of the scene box's corners, in world units;
// <= 0 when a corner is not in front of the reference camera.
float box_nearest_depth(const Dataset& data, const NdcWarp& w) {
  const float lo = 0.5f - 0.5f * data.aabb_scale, hi = 0.5f + 0.5f * data.aabb_scale;
  float nearest = 3.4e38f;
  for (int corner = 0; corner < 8; ++corner) {
    const Vec3 p = make_vec3(corner & 1 ? hi : lo, corner & 2 ? hi : lo, corner & 4 ? hi : lo);
    nearest = std::min(nearest, -ndc_engine_to_reference(w, p).z);
  }
  return nearest;
}

// The four rays through the image corners of every frame (engine frame), with how far each
// reaches along its own camera's viewing axis per unit length (the cosine to the axis).
struct CornerRay {
  Ray ray;
  float along = 0.f;
};

std::vector<CornerRay> frustum_corner_rays(const Dataset& data) {
  std::vector<CornerRay> out;
  out.reserve(4 * data.frames.size());
  for (const Frame& f : data.frames) {
    const Vec3 axis = make_vec3(-f.pose.m[0][2], -f.pose.m[1][2], -f.pose.m[2][2]);
    const float w_px = static_cast<float>(f.intrinsics.width), h_px = static_cast<float>(f.intrinsics.height);
    for (int corner = 0; corner < 4; ++corner) {
      CornerRay c;
      c.ray = camera_ray(f.pose, f.intrinsics, corner & 1 ? w_px : 0.f, corner & 2 ? h_px : 0.f);
      c.along = dot(c.ray.dir, axis);
      out.push_back(c);
    }
  }
  return out;
}

// Where a corner ray (along > 0) meets its camera's near bound: the bound's axial depth.
Vec3 at_near_bound(const Dataset& data, const CornerRay& c) {
  return c.ray.origin + c.ray.dir * (data.near_bound * data.scale / c.along);
}

// The nearest depth from the reference camera where the dataset's near bound lets content lie:
// each camera sees nothing nearer than the bound (axial depth along its own -z), so the
// nearest such point is a corner of one camera's frustum at that depth (depth along the
// reference axis is linear, and grows along the frustum's edges of a forward-facing camera).
// 0 without a bound, or when that leaves no empty slab in front of the near plane.
float nearest_content_depth(const Dataset& data, const NdcWarp& w) {
  if (!(data.near_bound > 0.f)) return 0.f;
  float nearest = 3.4e38f;
  for (const CornerRay& c : frustum_corner_rays(data)) {
    if (!(c.along > 0.f)) return 0.f;
    nearest = std::min(nearest, -ndc_engine_to_reference(w, at_near_bound(data, c)).z);
  }
  return nearest > w.camera.near ? nearest : 0.f;
}

// The NDC |x'| and |y'| the training cameras see, at least 1 (the reference camera's frustum):
// each camera sees along its frustum's four edge rays, from its nearest content (the dataset's
// near bound along its own axis, as nearest_content_depth; without a bound, or nearer than the
// near plane, from where the ray meets the reference near plane) to infinity. Rays stay straight
// in NDC and the frustum's cross-sections are quads, so the extremes lie at those rays' ends.
// Rays that never reach infinity (heading back past the reference plane) are not held anyway.
void fit_extents(const Dataset& data, NdcWarp* w) {
  float ex = 1.f, ey = 1.f;
  const auto reach = [&](Vec3 q) {
    ex = std::max(ex, std::fabs(q.x));
    ey = std::max(ey, std::fabs(q.y));
  };
  for (const CornerRay& c : frustum_corner_rays(data)) {
    const Vec3 d = w->reference_to_world.unrotate(c.ray.dir);
    if (!(d.z < -1e-6f)) continue;
    Vec3 on, dn;
    ndc_ray(w->camera, ndc_engine_to_reference(*w, c.ray.origin), d, &on, &dn);
    reach(on + dn);  // t' = 1: the point at infinity
    Vec3 near_end = on;
    if (data.near_bound > 0.f && c.along > 0.f) {
      const Vec3 p = ndc_engine_to_reference(*w, at_near_bound(data, c));
      if (-p.z > w->camera.near) near_end = ndc_point(w->camera, p);
    }
    reach(near_end);
  }
  w->extent_x = ex;
  w->extent_y = ey;
}

}  // namespace

NdcReference ndc_reference(const Dataset& data) {
  if (data.frames.empty()) return invalid("the dataset has no frames");
  const Intrinsics& k = data.frames.front().intrinsics;
  NdcReference ref;
  NdcWarp& w = ref.warp;
  w.camera.fx = k.fx;
  w.camera.fy = k.fy;
  w.camera.width = static_cast<float>(k.width);
  w.camera.height = static_cast<float>(k.height);
  w.scale = data.scale;
  w.offset = data.offset;
  if (data.format == "llff") {
    w.reference_to_world = Pose();  // identity: NeRF's recentered frame
    w.camera.near = 1.f;
    w.content_depth = nearest_content_depth(data, w);
    fit_extents(data, &w);
    ref.valid = true;
    return ref;
  }

  w.reference_to_world = mean_pose(data);
  const Vec3 view = column(w.reference_to_world, 2);
  const double cos_max = std::cos(kMaxAngleDeg * 3.14159265358979 / 180.0);
  for (size_t i = 0; i < data.frames.size(); ++i) {
    const double c = dot(column(data.frames[i].pose, 2), view);
    if (!(c >= cos_max)) {
      const double deg = std::acos(std::clamp(c, -1.0, 1.0)) * 180.0 / 3.14159265358979;
      return invalid("camera " + std::to_string(i) + " looks " + std::to_string(static_cast<int>(std::lround(deg))) +
                     " degrees away from the mean view direction (forward-facing captures stay within " +
                     std::to_string(static_cast<int>(kMaxAngleDeg)) + ")");
    }
  }
  if (data.near_bound > 0.f) {
    w.camera.near = kBoundFactor * data.near_bound;
  } else {
    const float nearest = box_nearest_depth(data, w);
    if (!(nearest > 0.f))
      return invalid("it gives no near bound and the scene box is not wholly in front of the mean camera");
    w.camera.near = nearest;
  }
  w.content_depth = nearest_content_depth(data, w);
  fit_extents(data, &w);
  ref.valid = true;
  return ref;
}

}  // namespace nerds
