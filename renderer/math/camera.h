// Pinhole camera with OpenCV radial-tangential distortion (k1 k2 p1 p2), in the
// OpenGL/Blender convention of NeRF-synthetic and instant-ngp: the camera looks down -z,
// +y is up, pixel (0,0) is the top-left corner of the image, pixel centers at +0.5.
#pragma once

#include "renderer/math/hd.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct Intrinsics {
  float fx = 1.f, fy = 1.f;  // focal lengths in pixels
  float cx = 0.f, cy = 0.f;  // principal point in pixels (from the top-left corner)
  int width = 0, height = 0;
  float k1 = 0.f, k2 = 0.f, p1 = 0.f, p2 = 0.f;  // OpenCV distortion; all zero = none
  NERDS_HD bool distorted() const { return k1 != 0.f || k2 != 0.f || p1 != 0.f || p2 != 0.f; }
};

// The OpenCV radial-tangential model (k1 k2 p1 p2; k3 = 0) maps an undistorted normalized
// image point (x, y) to a distorted one. It is defined in OpenCV's camera frame (x right,
// y DOWN, z forward), so callers pass y measured downwards: the tangential terms change sign
// with y, and flipping y first would silently mirror them.
//   r2 = x^2 + y^2,  radial = 1 + k1 r2 + k2 r2^2
//   xd = x radial + 2 p1 x y + p2 (r2 + 2 x^2)
//   yd = y radial + p1 (r2 + 2 y^2) + 2 p2 x y
NERDS_HD void distort_normalized(const Intrinsics& k, float x, float y, float* xd, float* yd) {
  const float r2 = x * x + y * y;
  const float radial = 1.f + r2 * (k.k1 + r2 * k.k2);
  *xd = x * radial + 2.f * k.p1 * x * y + k.p2 * (r2 + 2.f * x * x);
  *yd = y * radial + k.p1 * (r2 + 2.f * y * y) + 2.f * k.p2 * x * y;
}

// Inverts distort_normalized by Newton's method on the 2x2 system distort(x, y) = (xd, yd),
// starting from the distorted point, as instant-ngp (iterative_camera_undistortion) and
// nerfstudio (radial_and_tangential_undistort) do. The model is smooth and close to the
// identity inside a real image, so a handful of steps reaches float precision; the loop
// stops early once a step is below 1e-7 (about float epsilon for |x| ~ 1).
NERDS_HD void undistort_normalized(const Intrinsics& k, float xd, float yd, float* x_out, float* y_out) {
  float x = xd, y = yd;
  for (int iteration = 0; iteration < 10; ++iteration) {
    const float r2 = x * x + y * y;
    const float radial = 1.f + r2 * (k.k1 + r2 * k.k2);
    const float radial_d_r2 = k.k1 + 2.f * k.k2 * r2;  // d radial / d r2
    // Residual of the forward model and its Jacobian.
    const float fx = x * radial + 2.f * k.p1 * x * y + k.p2 * (r2 + 2.f * x * x) - xd;
    const float fy = y * radial + k.p1 * (r2 + 2.f * y * y) + 2.f * k.p2 * x * y - yd;
    const float fx_x = radial + 2.f * x * x * radial_d_r2 + 2.f * k.p1 * y + 6.f * k.p2 * x;
    const float fx_y = 2.f * x * y * radial_d_r2 + 2.f * k.p1 * x + 2.f * k.p2 * y;
    const float fy_x = 2.f * x * y * radial_d_r2 + 2.f * k.p2 * y + 2.f * k.p1 * x;
    const float fy_y = radial + 2.f * y * y * radial_d_r2 + 2.f * k.p2 * x + 6.f * k.p1 * y;
    const float det = fx_x * fy_y - fx_y * fy_x;
    if (fabsf(det) < 1e-12f) break;  // degenerate (far outside the model's valid range)
    const float step_x = (fx * fy_y - fy * fx_y) / det;
    const float step_y = (fy * fx_x - fx * fy_x) / det;
    x -= step_x;
    y -= step_y;
    if (fabsf(step_x) + fabsf(step_y) < 1e-7f) break;
  }
  *x_out = x;
  *y_out = y;
}

// The direction, in camera space, of the ray through image point (px, py) (pixel units,
// top-left origin; a pixel's center is +0.5), undistorted when the intrinsics carry
// distortion. Not normalized: z == -1 (the camera looks down -z, +y is up).
NERDS_HD Vec3 pixel_to_camera_dir(const Intrinsics& k, float px, float py) {
  float x = (px - k.cx) / k.fx;  // normalized image coordinates, y pointing down
  float y = (py - k.cy) / k.fy;
  if (k.distorted()) undistort_normalized(k, x, y, &x, &y);
  return make_vec3(x, -y, -1.f);
}

// The image point that camera-space point p projects to (with distortion applied).
// Returns false when p is behind the camera (p.z >= 0); *px, *py are then untouched.
NERDS_HD bool camera_to_pixel(const Intrinsics& k, Vec3 p, float* px, float* py) {
  if (!(p.z < 0.f)) return false;
  const float depth = -p.z;
  float x = p.x / depth;   // normalized image coordinates, y pointing down
  float y = -p.y / depth;
  if (k.distorted()) distort_normalized(k, x, y, &x, &y);
  *px = k.fx * x + k.cx;
  *py = k.fy * y + k.cy;
  return true;
}

// The camera-to-world pose of a camera at `eye` looking at `target` (OpenGL convention: it
// looks down -z, +y is as close to `up` as the view allows). Looking along `up`, another
// world axis stands in for it; eye == target looks down -z.
NERDS_HD Pose look_at(Vec3 eye, Vec3 target, Vec3 up) {
  Vec3 z = eye - target;
  z = length(z) > 0.f ? normalize(z) : make_vec3(0.f, 0.f, 1.f);
  Vec3 x = cross(up, z);
  if (length(x) < 1e-6f) x = cross(make_vec3(0.f, 1.f, 0.f), z);
  if (length(x) < 1e-6f) x = cross(make_vec3(1.f, 0.f, 0.f), z);
  x = normalize(x);
  const Vec3 y = cross(z, x);
  Pose p;
  for (int r = 0; r < 3; ++r) {
    p.m[r][0] = x[r];
    p.m[r][1] = y[r];
    p.m[r][2] = z[r];
    p.m[r][3] = eye[r];
  }
  return p;
}

// A pinhole camera of width x height pixels (each at least 1) with a vertical field of view
// in degrees (clamped to [1, 179]): square pixels, principal point at the center, no
// distortion. The viewer's free camera and `nerds render --path` see through it.
NERDS_HD Intrinsics intrinsics_for_fov(int width, int height, float fov_y_deg) {
  Intrinsics k;
  k.width = width > 1 ? width : 1;
  k.height = height > 1 ? height : 1;
  const float fov = fminf(fmaxf(fov_y_deg, 1.f), 179.f) * 3.14159265358979f / 180.f;
  k.fy = 0.5f * k.height / tanf(0.5f * fov);
  k.fx = k.fy;
  k.cx = 0.5f * k.width;
  k.cy = 0.5f * k.height;
  return k;
}

}  // namespace nerds
