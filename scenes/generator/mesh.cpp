#include "scenes/generator/mesh.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "renderer/error.h"

namespace nerds::scenes {

bool intersect_triangle(const Ray& ray, Vec3 p0, Vec3 p1, Vec3 p2, float t_min, float t_max, float* t, float* u,
                        float* v) {
  const Vec3 e1 = p1 - p0, e2 = p2 - p0;
  const Vec3 p = cross(ray.dir, e2);
  const float det = dot(e1, p);
  if (std::fabs(det) < 1e-12f) return false;  // parallel to the triangle's plane, or degenerate
  const float inv = 1.f / det;
  const Vec3 s = ray.origin - p0;
  const float a = dot(s, p) * inv;
  if (a < 0.f || a > 1.f) return false;
  const Vec3 q = cross(s, e1);
  const float b = dot(ray.dir, q) * inv;
  if (b < 0.f || a + b > 1.f) return false;
  const float hit_t = dot(e2, q) * inv;
  if (hit_t <= t_min || hit_t >= t_max) return false;
  *t = hit_t;
  *u = a;
  *v = b;
  return true;
}

TriangleMesh::TriangleMesh(MeshData data, const std::string& label) : data_(std::move(data)) {
  const int n = static_cast<int>(data_.positions.size());
  if (data_.triangles.empty()) throw InputError(label, "", "the mesh has no triangles");
  if (!data_.normals.empty() && static_cast<int>(data_.normals.size()) != n)
    throw InputError(label, "", "needs one normal per vertex or none");
  for (const Vec3& p : data_.positions) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z))
      throw InputError(label, "", "a vertex position is not finite");
  }
  std::vector<Aabb> boxes;
  boxes.reserve(data_.triangles.size());
  constexpr float kInf = std::numeric_limits<float>::infinity();
  bounds_ = {make_vec3(kInf, kInf, kInf), make_vec3(-kInf, -kInf, -kInf)};
  for (size_t i = 0; i < data_.triangles.size(); ++i) {
    Aabb box{make_vec3(kInf, kInf, kInf), make_vec3(-kInf, -kInf, -kInf)};
    for (int index : data_.triangles[i]) {
      if (index < 0 || index >= n)
        throw InputError(
            label, "triangle " + std::to_string(i),
            "vertex index " + std::to_string(index) + " is out of range (" + std::to_string(n) + " vertices)");
      box.lo = vmin(box.lo, data_.positions[index]);
      box.hi = vmax(box.hi, data_.positions[index]);
    }
    bounds_.lo = vmin(bounds_.lo, box.lo);
    bounds_.hi = vmax(bounds_.hi, box.hi);
    boxes.push_back(box);
  }
  bvh_.build(boxes);
}

bool TriangleMesh::intersect(const Ray& ray, float t_min, float t_max, SurfaceHit* hit) const {
  int found = -1;
  float found_t = 0.f, found_u = 0.f, found_v = 0.f;
  bvh_.traverse(ray, t_max, [&](int tri, float* limit) {
    const std::array<int, 3>& f = data_.triangles[tri];
    float t, u, v;
    if (intersect_triangle(ray, data_.positions[f[0]], data_.positions[f[1]], data_.positions[f[2]], t_min, *limit, &t,
                           &u, &v)) {
      *limit = t;
      found = tri;
      found_t = t;
      found_u = u;
      found_v = v;
    }
    return false;
  });
  if (found < 0) return false;
  const std::array<int, 3>& f = data_.triangles[found];
  const Vec3 p0 = data_.positions[f[0]];
  Vec3 geometric = normalize(cross(data_.positions[f[1]] - p0, data_.positions[f[2]] - p0));
  if (dot(geometric, ray.dir) > 0.f) geometric = -geometric;  // two-sided: face the ray
  Vec3 normal = geometric;
  if (!data_.normals.empty()) {
    Vec3 smooth =
        data_.normals[f[0]] * (1.f - found_u - found_v) + data_.normals[f[1]] * found_u + data_.normals[f[2]] * found_v;
    if (dot(smooth, geometric) < 0.f) smooth = -smooth;
    // Near a silhouette the interpolated normal can still face away from the viewer; the
    // flat normal is used there so shading never looks at the back of the surface.
    const float len = length(smooth);
    if (len > 1e-12f && dot(smooth, ray.dir) < 0.f) normal = smooth / len;
  }
  hit->t = found_t;
  hit->normal = normal;
  return true;
}

}  // namespace nerds::scenes
