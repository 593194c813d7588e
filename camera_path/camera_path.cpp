#include "camera_path/camera_path.h"

#include <algorithm>
#include <cmath>
#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>
#include <stdexcept>

namespace nerds {

namespace {

// Knot intervals of zero (two keys at one place) would divide by zero in the pyramid below;
// a tiny interval gives the same curve there (the points it blends are equal).
constexpr double kMinKnotInterval = 1e-12;

glm::dvec3 to_glm(Vec3 v) { return glm::dvec3(v.x, v.y, v.z); }
Vec3 to_vec3(const glm::dvec3& v) {
  return make_vec3(static_cast<float>(v.x), static_cast<float>(v.y), static_cast<float>(v.z));
}
glm::dquat to_glm(const Orientation& o) { return glm::normalize(glm::dquat(o.w, o.x, o.y, o.z)); }

// Centripetal parameterization (Yuksel et al. 2011, eq. 2 with alpha = 1/2): t_{j+1} = t_j + |P_{j+1} - P_j|^alpha.
double knot_interval(const glm::dvec3& a, const glm::dvec3& b) {
  return std::max(std::sqrt(glm::distance(a, b)), kMinKnotInterval);
}

// The Catmull-Rom segment from p1 to p2 (neighbours p0, p3) at u in [0, 1], by Barry and
// Goldman's pyramid of linear blends (Yuksel et al. 2011, eq. 1).
glm::dvec3 catmull_rom(const glm::dvec3& p0, const glm::dvec3& p1, const glm::dvec3& p2, const glm::dvec3& p3,
                       double u) {
  const double t0 = 0.0, t1 = t0 + knot_interval(p0, p1), t2 = t1 + knot_interval(p1, p2),
               t3 = t2 + knot_interval(p2, p3);
  const double t = t1 + u * (t2 - t1);
  const glm::dvec3 a1 = glm::mix(p0, p1, (t - t0) / (t1 - t0));
  const glm::dvec3 a2 = glm::mix(p1, p2, (t - t1) / (t2 - t1));
  const glm::dvec3 a3 = glm::mix(p2, p3, (t - t2) / (t3 - t2));
  const glm::dvec3 b1 = glm::mix(a1, a2, (t - t0) / (t2 - t0));
  const glm::dvec3 b2 = glm::mix(a2, a3, (t - t1) / (t3 - t1));
  return glm::mix(b1, b2, u);
}

Pose pose_from(const glm::dvec3& position, const glm::dquat& orientation) {
  const glm::dmat3 r = glm::mat3_cast(glm::normalize(orientation));  // column-major: r[column][row]
  Pose p;
  for (int row = 0; row < 3; ++row) {
    for (int col = 0; col < 3; ++col) p.m[row][col] = static_cast<float>(r[col][row]);
    p.m[row][3] = static_cast<float>(position[row]);
  }
  return p;
}

}  // namespace

Orientation orientation_of(const Pose& pose) {
  glm::dmat3 r;
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 3; ++col) r[col][row] = pose.m[row][col];
  const glm::dquat q = glm::normalize(glm::quat_cast(r));
  return {static_cast<float>(q.w), static_cast<float>(q.x), static_cast<float>(q.y), static_cast<float>(q.z)};
}

CameraKey camera_key(const Pose& pose, float fov_y_deg, float seconds) {
  CameraKey k;
  k.position = pose.origin();
  k.orientation = orientation_of(pose);
  k.fov_y_deg = fov_y_deg;
  k.seconds = seconds;
  return k;
}

Pose pose_of(const CameraKey& key) { return pose_from(to_glm(key.position), to_glm(key.orientation)); }

double path_seconds(const CameraPath& path) {
  double total = 0.0;
  for (size_t i = 0; i + 1 < path.keys.size(); ++i) total += std::max(0.0, static_cast<double>(path.keys[i].seconds));
  return total;
}

CameraPathPoint camera_at(const CameraPath& path, double seconds) {
  const std::vector<CameraKey>& keys = path.keys;
  if (keys.empty()) throw std::invalid_argument("camera_at: the camera path has no keys");
  const size_t n = keys.size();
  // The segment holding `seconds`; one of no duration is a cut, skipped.
  double start = 0.0;
  size_t i = 0;
  double u = 1.0;
  for (; i + 1 < n; ++i) {
    const double d = keys[i].seconds;
    if (d > 0.0 && seconds <= start + d) {
      u = std::clamp((seconds - start) / d, 0.0, 1.0);
      break;
    }
    start += std::max(0.0, d);
  }
  if (i + 1 >= n) return {pose_of(keys[n - 1]), keys[n - 1].fov_y_deg};
  // The ends: a neighbour mirrored through the end key, so the path leaves and reaches its
  // first and last keys heading straight at their neighbours.
  const glm::dvec3 p1 = to_glm(keys[i].position), p2 = to_glm(keys[i + 1].position);
  const glm::dvec3 p0 = i > 0 ? to_glm(keys[i - 1].position) : 2.0 * p1 - p2;
  const glm::dvec3 p3 = i + 2 < n ? to_glm(keys[i + 2].position) : 2.0 * p2 - p1;
  // glm::slerp takes the shorter arc (q and -q are the same rotation).
  const glm::dquat q = glm::slerp(to_glm(keys[i].orientation), to_glm(keys[i + 1].orientation), u);
  const double fov = glm::mix(static_cast<double>(keys[i].fov_y_deg), static_cast<double>(keys[i + 1].fov_y_deg), u);
  return {pose_from(catmull_rom(p0, p1, p2, p3, u), q), static_cast<float>(fov)};
}

std::vector<CameraPathPoint> sample_camera_path(const CameraPath& path, double fps) {
  if (!(fps > 0.0)) throw std::invalid_argument("sample_camera_path: fps must be > 0");
  const double total = path_seconds(path);
  const long frames = static_cast<long>(std::floor(total * fps + 1e-6)) + 1;
  std::vector<CameraPathPoint> out;
  out.reserve(static_cast<size_t>(frames));
  for (long f = 0; f < frames; ++f) out.push_back(camera_at(path, std::min(total, f / fps)));
  return out;
}

Pose to_engine_frame(const Pose& world, const Dataset& train) {
  Pose p = world;
  for (int r = 0; r < 3; ++r) p.m[r][3] = world.m[r][3] * train.scale + train.offset[r];
  return p;
}

Pose to_world_frame(const Pose& engine, const Dataset& train) {
  Pose p = engine;
  for (int r = 0; r < 3; ++r) p.m[r][3] = (engine.m[r][3] - train.offset[r]) / train.scale;
  return p;
}

}  // namespace nerds
