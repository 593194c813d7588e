#include "scenes/generator/camera_rig.h"

#include <cmath>

#include "scenes/generator/random.h"
#include "scenes/generator/view_camera.h"

namespace nerds::scenes {

namespace {

constexpr float kPi = 3.14159265358979f;

// Camera on the rig's sphere at height z_unit (sin of the elevation) and azimuth phi.
Pose pose_on_sphere(const CameraRig& rig, float z_unit, float phi) {
  float ring = std::sqrt(std::fmax(0.f, 1.f - z_unit * z_unit));
  Vec3 eye = rig.target + make_vec3(ring * std::cos(phi), ring * std::sin(phi), z_unit) * rig.radius;
  return look_at(eye, rig.target, make_vec3(0.f, 0.f, 1.f));
}

float min_height(const CameraRig& rig) { return std::sin(rig.min_elevation_deg * kPi / 180.f); }

}  // namespace

std::vector<Pose> fibonacci_hemisphere_poses(const CameraRig& rig, int count, uint64_t seed) {
  // Height uniform in [z_min, 1] gives equal area per step on the cap (Archimedes); the
  // golden-angle azimuth step keeps neighbours apart.
  const float golden_angle = kPi * (3.f - std::sqrt(5.f));
  Rng rng(seed);
  float phase = 2.f * kPi * rng.uniform();
  float z_min = min_height(rig);
  std::vector<Pose> poses;
  for (int i = 0; i < count; ++i) {
    float z = z_min + (1.f - z_min) * (static_cast<float>(i) + 0.5f) / static_cast<float>(count);
    poses.push_back(pose_on_sphere(rig, z, phase + golden_angle * static_cast<float>(i)));
  }
  return poses;
}

std::vector<Pose> random_hemisphere_poses(const CameraRig& rig, int count, uint64_t seed) {
  Rng rng(seed);
  float z_min = min_height(rig);
  std::vector<Pose> poses;
  for (int i = 0; i < count; ++i) {
    float z = z_min + (1.f - z_min) * rng.uniform();
    float phi = 2.f * kPi * rng.uniform();
    poses.push_back(pose_on_sphere(rig, z, phi));
  }
  return poses;
}

std::vector<Pose> ring_poses(const CameraRig& rig, int count) {
  float z = std::sin(rig.ring_elevation_deg * kPi / 180.f);
  std::vector<Pose> poses;
  for (int i = 0; i < count; ++i) {
    poses.push_back(pose_on_sphere(rig, z, 2.f * kPi * static_cast<float>(i) / static_cast<float>(count)));
  }
  return poses;
}

}  // namespace nerds::scenes
