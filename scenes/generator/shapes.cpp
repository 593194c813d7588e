#include "scenes/generator/shapes.h"

#include <cmath>
#include <limits>
#include <utility>

namespace nerds::scenes {

namespace {
constexpr float kInf = std::numeric_limits<float>::infinity();
}

bool Sphere::intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const {
  // |o + t d - c|^2 = r^2 with |d| = 1: t = -b -+ sqrt(b^2 - c).
  Vec3 oc = ray.origin - center_;
  float b = dot(oc, ray.dir);
  float c = dot(oc, oc) - radius_ * radius_;
  float disc = b * b - c;
  if (disc < 0.f) return false;
  float s = std::sqrt(disc);
  float t = -b - s;
  if (t <= t_min) t = -b + s;  // origin inside the sphere: the far side
  if (t <= t_min || t >= t_max) return false;
  hit->t = t;
  hit->normal = (ray.at(t) - center_) / radius_;
  return true;
}

Aabb Sphere::bounds() const {
  Vec3 r = make_vec3(radius_, radius_, radius_);
  return {center_ - r, center_ + r};
}

bool Box::intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const {
  // Slab test, remembering which slab the entry and the exit come from for the normal.
  float t_enter = t_min, t_exit = t_max;
  int enter_axis = -1, exit_axis = -1;
  for (int a = 0; a < 3; ++a) {
    float inv = 1.f / ray.dir[a];
    float t0 = (lo_[a] - ray.origin[a]) * inv;
    float t1 = (hi_[a] - ray.origin[a]) * inv;
    if (t0 > t1) std::swap(t0, t1);
    if (t0 > t_enter) { t_enter = t0; enter_axis = a; }
    if (t1 < t_exit) { t_exit = t1; exit_axis = a; }
    if (t_enter > t_exit) return false;
  }
  Vec3 n;
  if (enter_axis >= 0) {  // hit from outside: the entry face, facing against the ray
    hit->t = t_enter;
    n[enter_axis] = ray.dir[enter_axis] > 0.f ? -1.f : 1.f;
  } else if (exit_axis >= 0) {  // origin inside: the exit face
    hit->t = t_exit;
    n[exit_axis] = ray.dir[exit_axis] > 0.f ? 1.f : -1.f;
  } else {
    return false;  // the box spans the whole (t_min, t_max) interval: no surface in it
  }
  hit->normal = n;
  return true;
}

bool Cylinder::intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const {
  float best = t_max;
  Vec3 best_normal;
  // Side wall: (ox + t dx)^2 + (oy + t dy)^2 = r^2, kept where z is within the caps.
  float ox = ray.origin.x - cx_, oy = ray.origin.y - cy_;
  float dx = ray.dir.x, dy = ray.dir.y;
  float a = dx * dx + dy * dy;
  if (a > 1e-12f) {
    float b = ox * dx + oy * dy;
    float c = ox * ox + oy * oy - radius_ * radius_;
    float disc = b * b - a * c;
    if (disc >= 0.f) {
      float s = std::sqrt(disc);
      for (float t : {(-b - s) / a, (-b + s) / a}) {
        if (t <= t_min || t >= best) continue;
        float z = ray.origin.z + t * ray.dir.z;
        if (z < z_lo_ || z > z_hi_) continue;
        best = t;
        best_normal = make_vec3((ox + t * dx) / radius_, (oy + t * dy) / radius_, 0.f);
        break;
      }
    }
  }
  // Caps: the planes z = z_lo and z = z_hi, inside the radius.
  if (std::fabs(ray.dir.z) > 1e-12f) {
    for (float z_cap : {z_lo_, z_hi_}) {
      float t = (z_cap - ray.origin.z) / ray.dir.z;
      if (t <= t_min || t >= best) continue;
      float x = ox + t * dx, y = oy + t * dy;
      if (x * x + y * y > radius_ * radius_) continue;
      best = t;
      best_normal = make_vec3(0.f, 0.f, z_cap == z_hi_ ? 1.f : -1.f);
    }
  }
  if (best >= t_max) return false;
  hit->t = best;
  hit->normal = best_normal;
  return true;
}

Aabb Cylinder::bounds() const {
  return {make_vec3(cx_ - radius_, cy_ - radius_, z_lo_), make_vec3(cx_ + radius_, cy_ + radius_, z_hi_)};
}

bool Plane::intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const {
  float denom = dot(normal_, ray.dir);
  if (std::fabs(denom) < 1e-12f) return false;  // parallel to the plane
  float t = dot(point_ - ray.origin, normal_) / denom;
  if (t <= t_min || t >= t_max) return false;
  hit->t = t;
  hit->normal = normal_;
  return true;
}

Aabb Plane::bounds() const {
  // Bounded only along an axis the plane is perpendicular to.
  Aabb box{make_vec3(-kInf, -kInf, -kInf), make_vec3(kInf, kInf, kInf)};
  for (int a = 0; a < 3; ++a) {
    if (std::fabs(normal_[a]) == 1.f) box.lo[a] = box.hi[a] = point_[a];
  }
  return box;
}

bool Disk::intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const {
  float denom = dot(normal_, ray.dir);
  if (std::fabs(denom) < 1e-12f) return false;
  float t = dot(center_ - ray.origin, normal_) / denom;
  if (t <= t_min || t >= t_max) return false;
  Vec3 offset = ray.at(t) - center_;
  if (dot(offset, offset) > radius_ * radius_) return false;
  hit->t = t;
  hit->normal = normal_;
  return true;
}

Aabb Disk::bounds() const {
  // A circle's extent along axis a is r * sqrt(1 - n_a^2).
  Vec3 e;
  for (int a = 0; a < 3; ++a) e[a] = radius_ * std::sqrt(std::fmax(0.f, 1.f - normal_[a] * normal_[a]));
  return {center_ - e, center_ + e};
}

}  // namespace nerds::scenes
