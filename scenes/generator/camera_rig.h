// Where the views of a generated scene are taken from, world z up:
//  - hemisphere / sphere: Blender-style cameras on a sphere around the target, each looking
//    at it; `distances` (radius multipliers, cycled over the views) makes a multi-distance rig;
//  - forward: LLFF-style, every camera looking the same way (-direction), their positions
//    spread over a rectangle facing the target.
#pragma once

#include <cstdint>
#include <vector>

#include "renderer/math/vec3.h"

namespace nerds::scenes {

enum class RigKind { kHemisphere, kSphere, kForward };

struct CameraRig {
  RigKind kind = RigKind::kHemisphere;
  float radius = 4.0f;                        // camera distance from the target (lego: ~4.03)
  float camera_angle_x = 0.6911112f;          // horizontal field of view in radians (lego's)
  float min_elevation_deg = 5.f;              // hemisphere views stay this far above the horizon
  float max_elevation_deg = 90.f;             // ... and this far below the zenith
  float ring_elevation_deg = 30.f;            // the turntable ring's elevation
  Vec3 target;                                // the point every camera looks at
  std::vector<float> distances;               // radius multipliers cycled over the views (empty: 1)
  Vec3 direction = make_vec3(0.f, 1.f, 0.f);  // forward: from the target toward the cameras
  float extent_x = 0.5f, extent_y = 0.3f;     // forward: half-size of the camera rectangle
};

// `count` views spread evenly over the rig (sphere: Fibonacci spiral, equal area per view,
// turned about z by a seed-dependent angle, low to high elevation; forward: an R2 sequence
// over the rectangle). The train views.
std::vector<Pose> fibonacci_hemisphere_poses(const CameraRig& rig, int count, uint64_t seed);
// `count` views uniformly at random over the rig (the NeRF-synthetic way). The val views.
std::vector<Pose> random_hemisphere_poses(const CameraRig& rig, int count, uint64_t seed);
// `count` views evenly around a ring at rig.ring_elevation_deg (forward: an ellipse inside the
// rectangle): the turntable test path.
std::vector<Pose> ring_poses(const CameraRig& rig, int count);

}  // namespace nerds::scenes
