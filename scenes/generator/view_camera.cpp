#include "scenes/generator/view_camera.h"

#include <cmath>

namespace nerds::scenes {

ViewCamera make_view_camera(const Pose& camera_to_world, int width, int height, float camera_angle_x) {
  ViewCamera camera;
  camera.camera_to_world = camera_to_world;
  Intrinsics& k = camera.intrinsics;
  k.width = width;
  k.height = height;
  k.fx = k.fy = 0.5f * static_cast<float>(width) / std::tan(0.5f * camera_angle_x);
  k.cx = 0.5f * static_cast<float>(width);
  k.cy = 0.5f * static_cast<float>(height);
  return camera;
}

Ray primary_ray(const ViewCamera& camera, float px, float py) {
  // The engine's own pixel -> direction convention, so generated images and training rays
  // agree to the last bit about where a pixel looks.
  Ray ray;
  ray.origin = camera.camera_to_world.origin();
  ray.dir = normalize(camera.camera_to_world.rotate(pixel_to_camera_dir(camera.intrinsics, px, py)));
  return ray;
}

float axial_depth(const ViewCamera& camera, const Ray& ray, float t) {
  Vec3 forward = -camera.camera_to_world.rotate(make_vec3(0.f, 0.f, 1.f));
  return t * dot(ray.dir, forward);
}

}  // namespace nerds::scenes
