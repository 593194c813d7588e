// A camera ray in the engine's frame: origin at the camera center, unit direction through
// image point (px, py) (pixel units, top-left origin).
#pragma once

#include "renderer/math/camera.h"
#include "renderer/math/hd.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct Ray {
  Vec3 origin;
  Vec3 dir;  // unit length
};

NERDS_HD Ray camera_ray(const Pose& pose, const Intrinsics& k, float px, float py) {
  Ray r;
  r.origin = pose.origin();
  r.dir = normalize(pose.rotate(pixel_to_camera_dir(k, px, py)));
  return r;
}

}  // namespace nerds
