// One posed pinhole view for the ray tracer, in the NeRF-synthetic convention: pose is
// camera-to-world (OpenGL: the camera looks down -z, +y is up), pixel (0,0) is the top-left
// corner and pixel centers sit at +0.5.
#pragma once

#include "renderer/math/camera.h"
#include "renderer/math/vec3.h"
#include "scenes/generator/ray.h"

namespace nerds::scenes {

struct ViewCamera {
  Pose camera_to_world;
  Intrinsics intrinsics;  // undistorted pinhole
};

// A square-pixel camera with horizontal field of view camera_angle_x (radians), principal
// point at the image center: focal = 0.5 * width / tan(0.5 * camera_angle_x).
ViewCamera make_view_camera(const Pose& camera_to_world, int width, int height, float camera_angle_x);

// The world ray through image point (px, py) (pixel_to_camera_dir of renderer/math/camera.h,
// so distortion in the intrinsics would be honoured); its dir is unit length.
Ray primary_ray(const ViewCamera& camera, float px, float py);

// Depth along the camera's viewing axis (-z) of the point at distance t along `ray`:
// what a z-buffer holds, and what NeRF depth supervision compares against.
float axial_depth(const ViewCamera& camera, const Ray& ray, float t);

}  // namespace nerds::scenes
