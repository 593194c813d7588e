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
float max_height(const CameraRig& rig) {
  return rig.max_elevation_deg >= 90.f ? 1.f : std::sin(rig.max_elevation_deg * kPi / 180.f);
}

// Forward rig: the camera at (x, y) in [-1, 1]^2 of the rectangle, looking along -direction.
Pose forward_pose(const CameraRig& rig, float x, float y) {
  const Vec3 back = normalize(rig.direction);
  const Vec3 center = rig.target + back * rig.radius;
  Pose frame = look_at(center, rig.target, make_vec3(0.f, 0.f, 1.f));
  Vec3 right = frame.rotate(make_vec3(1.f, 0.f, 0.f)), up = frame.rotate(make_vec3(0.f, 1.f, 0.f));
  Vec3 eye = center + right * (x * rig.extent_x) + up * (y * rig.extent_y);
  for (int r = 0; r < 3; ++r) frame.m[r][3] = eye[r];
  return frame;
}

// Moves view i to distances[i % n] times its distance from the target (multi-distance rigs).
std::vector<Pose> with_distances(const CameraRig& rig, std::vector<Pose> poses) {
  if (rig.distances.empty()) return poses;
  for (size_t i = 0; i < poses.size(); ++i) {
    const float d = rig.distances[i % rig.distances.size()];
    for (int r = 0; r < 3; ++r) poses[i].m[r][3] = rig.target[r] + (poses[i].m[r][3] - rig.target[r]) * d;
  }
  return poses;
}

}  // namespace

std::vector<Pose> fibonacci_hemisphere_poses(const CameraRig& rig, int count, uint64_t seed) {
  Rng rng(seed);
  std::vector<Pose> poses;
  if (rig.kind == RigKind::kForward) {
    // R2 points (Roberts 2018) shifted by a seed-dependent offset: even cover of the rectangle.
    const double g = 1.32471795724474602596;
    const float sx = rng.uniform(), sy = rng.uniform();
    for (int i = 0; i < count; ++i) {
      double fx = sx + (i + 1) / g, fy = sy + (i + 1) / (g * g);
      float x = static_cast<float>(fx - std::floor(fx)), y = static_cast<float>(fy - std::floor(fy));
      poses.push_back(forward_pose(rig, 2.f * x - 1.f, 2.f * y - 1.f));
    }
    return poses;
  }
  // Height uniform in [z_min, z_max] gives equal area per step on the band (Archimedes); the
  // golden-angle azimuth step keeps neighbours apart.
  const float golden_angle = kPi * (3.f - std::sqrt(5.f));
  float phase = 2.f * kPi * rng.uniform();
  float z_min = min_height(rig), z_max = max_height(rig);
  for (int i = 0; i < count; ++i) {
    float z = z_min + (z_max - z_min) * (static_cast<float>(i) + 0.5f) / static_cast<float>(count);
    poses.push_back(pose_on_sphere(rig, z, phase + golden_angle * static_cast<float>(i)));
  }
  return with_distances(rig, poses);
}

std::vector<Pose> random_hemisphere_poses(const CameraRig& rig, int count, uint64_t seed) {
  Rng rng(seed);
  std::vector<Pose> poses;
  if (rig.kind == RigKind::kForward) {
    for (int i = 0; i < count; ++i) {
      float x = 2.f * rng.uniform() - 1.f;
      float y = 2.f * rng.uniform() - 1.f;
      poses.push_back(forward_pose(rig, x, y));
    }
    return poses;
  }
  float z_min = min_height(rig), z_max = max_height(rig);
  for (int i = 0; i < count; ++i) {
    float z = z_min + (z_max - z_min) * rng.uniform();
    float phi = 2.f * kPi * rng.uniform();
    poses.push_back(pose_on_sphere(rig, z, phi));
  }
  return with_distances(rig, poses);
}

std::vector<Pose> ring_poses(const CameraRig& rig, int count) {
  std::vector<Pose> poses;
  if (rig.kind == RigKind::kForward) {
    // An ellipse at 70% of the rectangle: every test camera lies among the train cameras.
    for (int i = 0; i < count; ++i) {
      float a = 2.f * kPi * static_cast<float>(i) / static_cast<float>(count);
      poses.push_back(forward_pose(rig, 0.7f * std::cos(a), 0.7f * std::sin(a)));
    }
    return poses;
  }
  float z = std::sin(rig.ring_elevation_deg * kPi / 180.f);
  for (int i = 0; i < count; ++i) {
    poses.push_back(pose_on_sphere(rig, z, 2.f * kPi * static_cast<float>(i) / static_cast<float>(count)));
  }
  return with_distances(rig, poses);
}

}  // namespace nerds::scenes
