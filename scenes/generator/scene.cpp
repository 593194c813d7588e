#include "scenes/generator/scene.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace nerds::scenes {

namespace {
bool finite_box(const Aabb& b) {
  for (int a = 0; a < 3; ++a) {
    if (!std::isfinite(b.lo[a]) || !std::isfinite(b.hi[a])) return false;
  }
  return true;
}
}  // namespace

int Scene::add_material(const Material& material) {
  materials_.push_back(material);
  return static_cast<int>(materials_.size()) - 1;
}

void Scene::add(std::shared_ptr<const Shape> shape, int material, bool casts_shadow) {
  if (material < 0 || material >= static_cast<int>(materials_.size())) {
    throw std::out_of_range("Scene::add: material index out of range");
  }
  objects_.push_back({std::move(shape), material, casts_shadow});
  prepared_ = false;
}

void Scene::prepare() {
  bounded_.clear();
  unbounded_.clear();
  std::vector<Aabb> boxes;
  for (int i = 0; i < static_cast<int>(objects_.size()); ++i) {
    Aabb b = objects_[i].shape->bounds();
    if (finite_box(b)) {
      bounded_.push_back(i);
      boxes.push_back(b);
    } else {
      unbounded_.push_back(i);
    }
  }
  bvh_.build(boxes);
  prepared_ = true;
}

bool Scene::intersect(const Ray& ray, float t_max, SceneHit* hit) const {
  SurfaceHit nearest;
  int found = -1;
  float closest = t_max;
  auto test = [&](int index, float* limit) {
    SurfaceHit h;
    if (objects_[index].shape->intersect(ray, 0.f, *limit, &h)) {
      *limit = h.t;
      nearest = h;
      found = index;
    }
  };
  if (prepared_) {
    for (int index : unbounded_) test(index, &closest);
    bvh_.traverse(ray, closest, [&](int prim, float* limit) {
      test(bounded_[prim], limit);
      return false;
    });
  } else {
    for (int index = 0; index < static_cast<int>(objects_.size()); ++index) test(index, &closest);
  }
  if (found < 0) return false;
  hit->t = nearest.t;
  hit->position = ray.at(nearest.t);
  hit->normal = dot(nearest.normal, ray.dir) > 0.f ? -nearest.normal : nearest.normal;
  hit->material = objects_[found].material;
  return true;
}

bool Scene::occluded(const Ray& ray, float max_distance) const {
  auto blocks = [&](int index) {
    SurfaceHit h;
    return objects_[index].casts_shadow && objects_[index].shape->intersect(ray, 0.f, max_distance, &h);
  };
  if (!prepared_) {
    for (int index = 0; index < static_cast<int>(objects_.size()); ++index) {
      if (blocks(index)) return true;
    }
    return false;
  }
  for (int index : unbounded_) {
    if (blocks(index)) return true;
  }
  return bvh_.traverse(ray, max_distance, [&](int prim, float*) { return blocks(bounded_[prim]); });
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
