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

// IMPLEMENTED BELOW (see the helper's task): the direction, in camera space, of the ray
// through image point (px, py) (pixel units, top-left origin; a pixel's center is +0.5),
// undistorted when the intrinsics carry distortion. Not normalized: z == -1.
// NERDS_HD Vec3 pixel_to_camera_dir(const Intrinsics& k, float px, float py);
// The image point that camera-space point p projects to (with distortion applied).
// Returns false when p is behind the camera (p.z >= 0).
// NERDS_HD bool camera_to_pixel(const Intrinsics& k, Vec3 p, float* px, float* py);

}  // namespace nerds
