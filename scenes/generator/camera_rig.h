// Where the views of a generated scene are taken from: Blender-style cameras on a sphere
// around the target, world z up, every camera looking at the target.
#pragma once

#include <cstdint>
#include <vector>

#include "renderer/math/vec3.h"

namespace nerds::scenes {

struct CameraRig {
  float radius = 4.0f;                 // camera distance from the target (lego: ~4.03)
  float camera_angle_x = 0.6911112f;   // horizontal field of view in radians (lego's)
  float min_elevation_deg = 5.f;       // hemisphere views stay this far above the horizon
  float ring_elevation_deg = 30.f;     // the turntable ring's elevation
  Vec3 target;                         // the point every camera looks at
};

// `count` views spread evenly over the upper hemisphere (a Fibonacci spiral: equal area per
// view), turned about z by a seed-dependent angle. Ordered from low to high elevation.
std::vector<Pose> fibonacci_hemisphere_poses(const CameraRig& rig, int count, uint64_t seed);
// `count` views uniformly at random over the upper hemisphere (the NeRF-synthetic way).
std::vector<Pose> random_hemisphere_poses(const CameraRig& rig, int count, uint64_t seed);
// `count` views evenly around a ring at rig.ring_elevation_deg: the turntable test path.
std::vector<Pose> ring_poses(const CameraRig& rig, int count);

}  // namespace nerds::scenes
