// Triangle meshes for the ray tracer: indexed triangles with an optional normal per vertex
// (smooth shading), intersected through a BVH over the triangles.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "scenes/generator/bvh.h"
#include "scenes/generator/shapes.h"

namespace nerds::scenes {

struct MeshData {
  std::vector<Vec3> positions;
  std::vector<std::array<int, 3>> triangles;  // counter-clockwise seen from outside
  std::vector<Vec3> normals;                  // one per position (smooth), or empty (flat)
};

// Moller-Trumbore: the ray parameter and barycentrics (u, v) of the hit with p0 + u e1 + v e2.
bool intersect_triangle(const Ray& ray, Vec3 p0, Vec3 p1, Vec3 p2, float t_min, float t_max, float* t, float* u,
                        float* v);

class TriangleMesh final : public Shape {
 public:
  // Throws InputError (naming `label`) for an index out of range or a non-finite position.
  explicit TriangleMesh(MeshData data, const std::string& label = "mesh");
  bool intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const override;
  Aabb bounds() const override { return bounds_; }
  size_t triangle_count() const { return data_.triangles.size(); }
  const MeshData& data() const { return data_; }

 private:
  MeshData data_;
  Bvh bvh_;
  Aabb bounds_;
};

}  // namespace nerds::scenes
