// The geometric primitives of the scene maker's ray tracer. Each shape answers one question,
// "where does this ray first meet me", plus its bounding box (to check that a scene fits its
// cube, and for an acceleration structure over many shapes).
#pragma once

#include "renderer/math/vec3.h"
#include "scenes/generator/ray.h"

namespace nerds::scenes {

struct Aabb {
  Vec3 lo, hi;
};

// Where a ray meets a surface: the ray parameter and the unit outward normal.
struct SurfaceHit {
  float t = 0.f;
  Vec3 normal;
};

class Shape {
 public:
  virtual ~Shape() = default;
  // The nearest hit with t_min < t < t_max; false when there is none.
  virtual bool intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const = 0;
  virtual Aabb bounds() const = 0;
};

class Sphere final : public Shape {
 public:
  Sphere(Vec3 center, float radius) : center_(center), radius_(radius) {}
  bool intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const override;
  Aabb bounds() const override;

 private:
  Vec3 center_;
  float radius_;
};

// Axis-aligned box [lo, hi].
class Box final : public Shape {
 public:
  Box(Vec3 lo, Vec3 hi) : lo_(lo), hi_(hi) {}
  bool intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const override;
  Aabb bounds() const override { return {lo_, hi_}; }

 private:
  Vec3 lo_, hi_;
};

// Solid capped cylinder along the world z axis (the scenes' up axis), from z_lo to z_hi.
class Cylinder final : public Shape {
 public:
  Cylinder(float center_x, float center_y, float radius, float z_lo, float z_hi)
      : cx_(center_x), cy_(center_y), radius_(radius), z_lo_(z_lo), z_hi_(z_hi) {}
  bool intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const override;
  Aabb bounds() const override;

 private:
  float cx_, cy_, radius_, z_lo_, z_hi_;
};

// Infinite plane through `point` with unit normal `normal` (seen from both sides).
class Plane final : public Shape {
 public:
  Plane(Vec3 point, Vec3 normal) : point_(point), normal_(normalize(normal)) {}
  bool intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const override;
  Aabb bounds() const override;  // infinite along the plane

 private:
  Vec3 point_, normal_;
};

// Flat round disk (a bounded ground plane), seen from both sides.
class Disk final : public Shape {
 public:
  Disk(Vec3 center, Vec3 normal, float radius)
      : center_(center), normal_(normalize(normal)), radius_(radius) {}
  bool intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const override;
  Aabb bounds() const override;

 private:
  Vec3 center_, normal_;
  float radius_;
};

}  // namespace nerds::scenes
