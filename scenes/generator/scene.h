// A scene for the CPU ray tracer: shapes with materials, lights, an ambient term and an
// environment for reflections, and the two ray queries a renderer needs (nearest hit, and
// "is anything in the way" for shadows). Shapes are shared, so copying a scene to vary it
// per view (lights, transient occluders) is cheap.
#pragma once

#include <memory>
#include <vector>

#include "renderer/math/vec3.h"
#include "scenes/generator/bvh.h"
#include "scenes/generator/environment.h"
#include "scenes/generator/light.h"
#include "scenes/generator/material.h"
#include "scenes/generator/ray.h"
#include "scenes/generator/shapes.h"

namespace nerds::scenes {

struct SceneObject {
  std::shared_ptr<const Shape> shape;
  int material = 0;          // index into Scene::materials()
  bool casts_shadow = true;  // false: shadow rays pass through (a sky dome, a backdrop)
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
  void add(std::shared_ptr<const Shape> shape, int material, bool casts_shadow = true);
  void add_light(const Light& light) { lights_.push_back(light); }
  std::vector<Light>& lights() { return lights_; }
  // Light reaching every surface regardless of shadows (stands in for indirect light).
  void set_ambient(Vec3 linear_color) { ambient_ = linear_color; }
  void set_environment(const Environment& environment) { environment_ = environment; }

  // Builds the hierarchy over the objects' boxes; until then (or after another add) the
  // queries test every object. Call it once the scene is complete.
  void prepare();

  // Nearest hit along the ray with 0 < t < t_max.
  bool intersect(const Ray& ray, float t_max, SceneHit* hit) const;
  // True when some shadow-casting surface lies along the ray with 0 < t < max_distance.
  bool occluded(const Ray& ray, float max_distance) const;
  // The box around every object (infinite when a plane is in the scene).
  Aabb bounds() const;

  const std::vector<SceneObject>& objects() const { return objects_; }
  const std::vector<Material>& materials() const { return materials_; }
  const std::vector<Light>& lights() const { return lights_; }
  Vec3 ambient() const { return ambient_; }
  const Environment& environment() const { return environment_; }

 private:
  std::vector<SceneObject> objects_;
  std::vector<Material> materials_;
  std::vector<Light> lights_;
  Vec3 ambient_;
  Environment environment_;
  bool prepared_ = false;
  Bvh bvh_;                     // over bounded_
  std::vector<int> bounded_;    // objects with a finite box, in the hierarchy
  std::vector<int> unbounded_;  // the rest (planes), tested one by one
};

}  // namespace nerds::scenes
