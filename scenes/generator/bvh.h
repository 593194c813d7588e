// A bounding volume hierarchy over boxes (triangles of a mesh, objects of a scene): binned
// SAH build, stack traversal front to back. The caller keeps the primitives; the tree only
// hands their indices to a visitor, so one tree type serves meshes and scenes alike.
#pragma once

#include <cmath>
#include <utility>
#include <vector>

#include "scenes/generator/ray.h"
#include "scenes/generator/shapes.h"

namespace nerds::scenes {

struct BvhNode {
  Aabb box;
  int first = 0;  // leaf: first entry of Bvh::order(); inner: index of the left child (right = first + 1)
  int count = 0;  // leaf: primitive count (> 0); inner: 0
};

// Where a ray enters and leaves a box within [t_min, t_max]; false when it misses.
inline bool ray_hits_box(const Aabb& box, Vec3 origin, Vec3 inv_dir, float t_min, float t_max) {
  for (int a = 0; a < 3; ++a) {
    float t0 = (box.lo[a] - origin[a]) * inv_dir[a];
    float t1 = (box.hi[a] - origin[a]) * inv_dir[a];
    if (t0 > t1) std::swap(t0, t1);
    // Written so that the NaN of 0 * inf (a ray in a slab's plane) keeps the old bound; plain
    // comparisons also inline, where std::fmin/fmax become library calls.
    t_min = t0 > t_min ? t0 : t_min;
    t_max = t1 < t_max ? t1 : t_max;
  }
  return t_min <= t_max;
}

class Bvh {
 public:
  // Builds over boxes[i], i = 0..n-1 (every box finite). Deterministic for the same input.
  void build(const std::vector<Aabb>& boxes);
  bool empty() const { return nodes_.empty(); }
  const std::vector<BvhNode>& nodes() const { return nodes_; }
  const std::vector<int>& order() const { return order_; }

  // Calls visit(prim, &t_max) for each primitive whose box the ray meets before t_max, near
  // boxes first. visit shortens t_max when it finds a hit and returns true to stop early
  // (an any-hit query); traverse returns whether it was stopped.
  template <class Visit>
  bool traverse(const Ray& ray, float t_max, Visit&& visit) const {
    if (nodes_.empty()) return false;
    const Vec3 inv = make_vec3(1.f / ray.dir.x, 1.f / ray.dir.y, 1.f / ray.dir.z);
    int stack[64];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const BvhNode& node = nodes_[stack[--top]];
      if (!ray_hits_box(node.box, ray.origin, inv, 0.f, t_max)) continue;
      if (node.count > 0) {
        for (int i = node.first; i < node.first + node.count; ++i) {
          if (visit(order_[i], &t_max)) return true;
        }
        continue;
      }
      // Push the far child first so the near one is visited first and shortens t_max.
      const int axis = split_axis(node);
      const bool left_first = ray.dir[axis] >= 0.f;
      stack[top++] = left_first ? node.first + 1 : node.first;
      stack[top++] = left_first ? node.first : node.first + 1;
    }
    return false;
  }

 private:
  static int split_axis(const BvhNode& node) {
    Vec3 e = node.box.hi - node.box.lo;
    return e.x >= e.y && e.x >= e.z ? 0 : (e.y >= e.z ? 1 : 2);
  }
  std::vector<BvhNode> nodes_;
  std::vector<int> order_;
};

}  // namespace nerds::scenes
