#include "viewer/core/camera_controller.h"

#include <algorithm>
#include <cmath>

namespace nerds::viewer {

namespace {

constexpr float kPi = 3.14159265358979f;
constexpr float kMaxPitch = 89.f;
float radians(float deg) { return deg * kPi / 180.f; }
float degrees(float rad) { return rad * 180.f / kPi; }

// Two unit axes normal to `up`: yaw is measured in their plane.
void plane_axes(Vec3 up, Vec3* e1, Vec3* e2) {
  const Vec3 a = std::fabs(up.x) < 0.9f ? make_vec3(1.f, 0.f, 0.f) : make_vec3(0.f, 1.f, 0.f);
  *e1 = normalize(a - up * dot(a, up));
  *e2 = cross(up, *e1);
}

// Unit direction from the target to the eye.
Vec3 orbit_direction(const OrbitState& s) {
  Vec3 e1, e2;
  plane_axes(s.up, &e1, &e2);
  const float yaw = radians(s.yaw_deg), pitch = radians(s.pitch_deg);
  return (e1 * std::cos(yaw) + e2 * std::sin(yaw)) * std::cos(pitch) + s.up * std::sin(pitch);
}

// Yaw and pitch of a unit direction (target to eye).
void set_angles_from(OrbitState& s, Vec3 d) {
  Vec3 e1, e2;
  plane_axes(s.up, &e1, &e2);
  s.pitch_deg = std::clamp(degrees(std::asin(std::clamp(dot(d, s.up), -1.f, 1.f))), -kMaxPitch, kMaxPitch);
  s.yaw_deg = degrees(std::atan2(dot(d, e2), dot(d, e1)));
}

Vec3 column(const Pose& p, int c) { return make_vec3(p.m[0][c], p.m[1][c], p.m[2][c]); }

bool finite(Vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

}  // namespace

OrbitState CameraController::home_for(const std::vector<Pose>& poses) {
  OrbitState s;
  if (poses.empty()) {
    s.distance = 2.f;
    s.yaw_deg = 30.f;
    s.pitch_deg = 25.f;
    return s;
  }
  Vec3 up = make_vec3(0.f, 0.f, 0.f);
  float distance = 0.f;
  for (const Pose& p : poses) {
    up = up + column(p, 1);
    distance += length(p.origin() - s.target);
  }
  s.up = length(up) > 1e-6f ? normalize(up) : make_vec3(0.f, 0.f, 1.f);
  s.distance = std::max(distance / poses.size(), 1e-3f);
  const Vec3 d = poses.front().origin() - s.target;
  set_angles_from(s, length(d) > 0.f ? normalize(d) : s.up);
  return s;
}

void CameraController::set_home(const OrbitState& home) {
  home_ = home;
  reset();
}

void CameraController::reset() {
  state_ = home_;
  exact_.reset();
}

void CameraController::set_state(const OrbitState& s) {
  state_ = s;
  state_.up = length(s.up) > 1e-6f ? normalize(s.up) : make_vec3(0.f, 0.f, 1.f);
  state_.pitch_deg = std::clamp(s.pitch_deg, -kMaxPitch, kMaxPitch);
  state_.distance = std::clamp(s.distance, 1e-3f, 1e3f);
  state_.fov_deg = std::clamp(s.fov_deg, 5.f, 150.f);
  exact_.reset();
}

void CameraController::look_from(const Pose& pose, Vec3 focus) {
  const Vec3 eye = pose.origin();
  const Vec3 forward = normalize(-column(pose, 2));
  float distance = dot(focus - eye, forward);
  if (!(distance > 0.05f)) distance = std::max(length(focus - eye), 0.05f);
  state_.target = eye + forward * distance;
  state_.distance = distance;
  set_angles_from(state_, -forward);
  exact_ = pose;
}

bool CameraController::apply(const CameraInput& in, float view_height) {
  const bool orbit = in.orbit[0] != 0.f || in.orbit[1] != 0.f;
  const bool pan = in.pan[0] != 0.f || in.pan[1] != 0.f;
  const bool fly = (in.fly[0] != 0.f || in.fly[1] != 0.f || in.fly[2] != 0.f) && in.dt > 0.f;
  if (!orbit && !pan && !fly && in.zoom == 0.f) return false;
  const OrbitState before = state_;
  // Pan and fly move along the axes the user sees now (the dataset pose's, when exact).
  const Pose seen = pose();
  const Vec3 x = column(seen, 0), y = column(seen, 1), z = column(seen, 2);
  if (orbit) {
    state_.yaw_deg -= in.orbit[0] * orbit_deg_per_pixel;
    state_.yaw_deg = std::remainder(state_.yaw_deg, 360.f);
    state_.pitch_deg = std::clamp(state_.pitch_deg + in.orbit[1] * orbit_deg_per_pixel, -kMaxPitch, kMaxPitch);
  }
  if (pan) {
    // World units per pixel at the target's distance: the target follows the mouse.
    const float per_pixel =
        2.f * state_.distance * std::tan(radians(state_.fov_deg) / 2.f) / std::max(view_height, 1.f);
    state_.target = state_.target + (x * -in.pan[0] + y * in.pan[1]) * per_pixel;
  }
  if (in.zoom != 0.f) state_.distance = std::clamp(state_.distance * std::pow(zoom_per_click, in.zoom), 1e-3f, 1e3f);
  if (fly) {
    const float speed = fly_distances_per_second * state_.distance * (in.fast ? 4.f : 1.f);
    state_.target = state_.target + (x * in.fly[0] + y * in.fly[1] - z * in.fly[2]) * (speed * in.dt);
  }
  if (!finite(state_.target) || !std::isfinite(state_.distance)) {
    state_ = before;  // a NaN from a degenerate input must never stick
    return false;
  }
  exact_.reset();
  return true;
}

Pose CameraController::pose() const {
  if (exact_) return *exact_;
  return look_at(state_.target + orbit_direction(state_) * state_.distance, state_.target, state_.up);
}

}  // namespace nerds::viewer
