// A scene for the CPU ray tracer: shapes with materials, lights and an ambient term, and the
// two ray queries a renderer needs (nearest hit, and "is anything in the way" for shadows).
#pragma once

#include <memory>
#include <vector>

#include "renderer/math/vec3.h"
#include "scenes/generator/light.h"
#include "scenes/generator/material.h"
#include "scenes/generator/ray.h"
#include "scenes/generator/shapes.h"

namespace nerds::scenes {

struct SceneObject {
  std::unique_ptr<Shape> shape;
  int material = 0;  // index into Scene::materials()
};

struct SceneHit {
  float t = 0.f;
  Vec3 position;
  Vec3 normal;  // unit, turned to face the incoming ray (planes and disks are two-sided)
  int material = 0;
};

class Scene {
 public:
  int add_material(const Material& material);  // returns its index
  void add(std::unique_ptr<Shape> shape, int material);
  void add_light(const Light& light) { lights_.push_back(light); }
  // Light reaching every surface regardless of shadows (stands in for indirect light).
  void set_ambient(Vec3 linear_color) { ambient_ = linear_color; }

  // Nearest hit along the ray with 0 < t < t_max.
  bool intersect(const Ray& ray, float t_max, SceneHit* hit) const;
  // True when some surface lies along the ray with 0 < t < max_distance.
  bool occluded(const Ray& ray, float max_distance) const;
  // The box around every object (infinite when a plane is in the scene).
  Aabb bounds() const;

  const std::vector<SceneObject>& objects() const { return objects_; }
  const std::vector<Material>& materials() const { return materials_; }
  const std::vector<Light>& lights() const { return lights_; }
  Vec3 ambient() const { return ambient_; }

 private:
  std::vector<SceneObject> objects_;
  std::vector<Material> materials_;
  std::vector<Light> lights_;
  Vec3 ambient_;
};

}  // namespace nerds::scenes
