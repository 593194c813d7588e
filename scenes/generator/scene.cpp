#include "scenes/generator/scene.h"

#include <limits>
#include <stdexcept>
#include <utility>

namespace nerds::scenes {

int Scene::add_material(const Material& material) {
  materials_.push_back(material);
  return static_cast<int>(materials_.size()) - 1;
}

void Scene::add(std::unique_ptr<Shape> shape, int material) {
  if (material < 0 || material >= static_cast<int>(materials_.size())) {
    throw std::out_of_range("Scene::add: material index out of range");
  }
  objects_.push_back({std::move(shape), material});
}

bool Scene::intersect(const Ray& ray, float t_max, SceneHit* hit) const {
  SurfaceHit nearest;
  const SceneObject* found = nullptr;
  float closest = t_max;
  for (const SceneObject& object : objects_) {
    SurfaceHit h;
    if (object.shape->intersect(ray, 0.f, closest, &h)) {
      closest = h.t;
      nearest = h;
      found = &object;
    }
  }
  if (!found) return false;
  hit->t = nearest.t;
  hit->position = ray.at(nearest.t);
  hit->normal = dot(nearest.normal, ray.dir) > 0.f ? -nearest.normal : nearest.normal;
  hit->material = found->material;
  return true;
}

bool Scene::occluded(const Ray& ray, float max_distance) const {
  SurfaceHit h;
  for (const SceneObject& object : objects_) {
    if (object.shape->intersect(ray, 0.f, max_distance, &h)) return true;
  }
  return false;
}

Aabb Scene::bounds() const {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  Aabb box{make_vec3(kInf, kInf, kInf), make_vec3(-kInf, -kInf, -kInf)};
  for (const SceneObject& object : objects_) {
    Aabb b = object.shape->bounds();
    box.lo = vmin(box.lo, b.lo);
    box.hi = vmax(box.hi, b.hi);
  }
  return box;
}

}  // namespace nerds::scenes
