#include "renderer/data/camera_checks.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/ray_box.h"

namespace nerds {

namespace {

using json_fields::number_text;

constexpr double kPi = 3.14159265358979323846;
// Pixels probed per image axis (the edges included) by the distortion and visibility checks:
// 17 x 17 rays per camera, a few thousand float operations, negligible beside reading images.
constexpr int kProbesPerAxis = 17;

float probe_coordinate(int i, int side) { return static_cast<float>(side) * static_cast<float>(i) / (kProbesPerAxis - 1); }

std::string pixel_text(float px, float py) { return "(" + number_text(px) + ", " + number_text(py) + ")"; }

}  // namespace

void check_focal_length(double focal, int side, const std::string& file, const std::string& field) {
  if (!(std::isfinite(focal) && focal > 0.0))
    throw InputError(file, field, "the focal length must be a positive, finite number of pixels, got " + number_text(focal));
  const double fov = 2.0 * std::atan(0.5 * side / focal) * 180.0 / kPi;
  if (!(fov >= kMinFieldOfViewDegrees && fov <= kMaxFieldOfViewDegrees))
    throw InputError(file, field,
                     "gives a field of view of " + number_text(fov) + " degrees (focal length " + number_text(focal) +
                         " pixels for an image " + std::to_string(side) + " pixels across); expected " +
                         number_text(kMinFieldOfViewDegrees) + " to " + number_text(kMaxFieldOfViewDegrees) +
                         " degrees");
}

void check_principal_point(double center, int side, const std::string& file, const std::string& field) {
  const double lo = -kMaxPrincipalPointOutside * side, hi = (1.0 + kMaxPrincipalPointOutside) * side;
  if (!(center >= lo && center <= hi))
    throw InputError(file, field,
                     "principal point " + number_text(center) + " pixels lies far outside the image (" +
                         std::to_string(side) + " pixels across); expected " + number_text(lo) + " to " +
                         number_text(hi));
}

void check_distortion(const Intrinsics& k, const std::string& file, const std::string& field) {
  if (!(std::isfinite(k.k1) && std::isfinite(k.k2) && std::isfinite(k.p1) && std::isfinite(k.p2)))
    throw InputError(file, field, "distortion coefficients must be finite (as 32-bit floats)");
  if (!k.distorted()) return;
  const std::string coefficients = "k1 " + number_text(k.k1) + ", k2 " + number_text(k.k2) + ", p1 " +
                                   number_text(k.p1) + ", p2 " + number_text(k.p2);
  // Undistort a grid of pixels (pixel_to_camera_dir's Newton inversion, as every ray does) and
  // distort the result back; along each row the undistorted x must increase, down each column y.
  std::vector<float> undistorted_x(kProbesPerAxis * kProbesPerAxis), undistorted_y(undistorted_x.size());
  for (int j = 0; j < kProbesPerAxis; ++j)
    for (int i = 0; i < kProbesPerAxis; ++i) {
      const float px = probe_coordinate(i, k.width), py = probe_coordinate(j, k.height);
      const float xd = (px - k.cx) / k.fx, yd = (py - k.cy) / k.fy;
      float x = 0.f, y = 0.f, xr = 0.f, yr = 0.f;
      undistort_normalized(k, xd, yd, &x, &y);
      distort_normalized(k, x, y, &xr, &yr);
      const double error_pixels = std::max(std::fabs(xr - xd) * k.fx, std::fabs(yr - yd) * k.fy);
      if (!(std::isfinite(x) && std::isfinite(y) && error_pixels <= kDistortionRoundTripPixels))
        throw InputError(file, field,
                         "the distortion (" + coefficients + ") cannot be inverted at pixel " + pixel_text(px, py) +
                             " of the " + std::to_string(k.width) + "x" + std::to_string(k.height) +
                             " image: the coefficients are out of the model's range (a camera's are usually "
                             "well below 1)");
      const size_t at = static_cast<size_t>(j) * kProbesPerAxis + i;
      undistorted_x[at] = x;
      undistorted_y[at] = y;
      const bool folds = (i > 0 && !(x > undistorted_x[at - 1])) || (j > 0 && !(y > undistorted_y[at - kProbesPerAxis]));
      if (folds)
        throw InputError(file, field,
                         "the distortion (" + coefficients + ") folds the image over itself near pixel " +
                             pixel_text(px, py) + ": the coefficients are out of the model's range");
    }
}

void check_camera_position(const Pose& pose, const std::string& file, const std::string& field) {
  const Vec3 o = pose.origin();
  for (int a = 0; a < 3; ++a)
    if (!(std::fabs(o[a] - 0.5) <= kMaxCameraDistance))
      throw InputError(file, field,
                       "the camera lies at " + number_text(o[a]) + " along axis " + std::to_string(a) +
                           " of the engine's frame (after scale and offset), more than " +
                           number_text(kMaxCameraDistance) +
                           " box units from the scene box: check the translation and the dataset's scale");
}

void check_cameras_see_box(const std::vector<Frame>& frames, float aabb_scale, const std::string& file,
                           const std::string& split) {
  const float half = 0.5f * aabb_scale;
  const Vec3 box_min = make_vec3(0.5f - half, 0.5f - half, 0.5f - half);
  const Vec3 box_max = make_vec3(0.5f + half, 0.5f + half, 0.5f + half);
  for (const Frame& f : frames) {
    const Intrinsics& k = f.intrinsics;
    // The box covers part of the view: a probed ray reaches it.
    for (int j = 0; j < kProbesPerAxis; ++j)
      for (int i = 0; i < kProbesPerAxis; ++i) {
        const Ray ray = camera_ray(f.pose, k, probe_coordinate(i, k.width), probe_coordinate(j, k.height));
        float t0 = 0.f, t1 = 0.f;
        if (ray_box(ray.origin, ray.dir, box_min, box_max, &t0, &t1)) return;
      }
    // The box is small in the view, between the probed rays: its center or a corner projects inside.
    for (int c = 0; c < 9; ++c) {
      Vec3 p = make_vec3(0.5f, 0.5f, 0.5f);
      if (c < 8)
        for (int a = 0; a < 3; ++a) p[a] = (c >> a) & 1 ? box_max[a] : box_min[a];
      float px = 0.f, py = 0.f;
      if (camera_to_pixel(k, f.pose.to_camera(p), &px, &py) && px >= 0.f && py >= 0.f && px <= k.width && py <= k.height) return;
    }
  }
  throw InputError(file, "frames",
                   "none of the " + std::to_string(frames.size()) + " cameras of split '" + split +
                       "' sees the scene box [" + number_text(box_min.x) + ", " + number_text(box_max.x) +
                       "]^3 of the engine's frame, so training would see no sample: the cameras face away from "
                       "the scene, or the box is misplaced (check the transform_matrix poses and the dataset's "
                       "aabb_scale, scale and offset)");
}

}  // namespace nerds
