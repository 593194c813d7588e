// Procedural meshes (torus, tube along a polyline, helix), OBJ files, and placing a mesh in
// the world (scale, rotate, translate). All return MeshData for a TriangleMesh.
#pragma once

#include <string>
#include <vector>

#include "scenes/generator/mesh.h"

namespace nerds::scenes {

// Scale, then rotate about the world x, y and z axes in that order (degrees), then translate.
struct MeshTransform {
  Vec3 scale = make_vec3(1.f, 1.f, 1.f);
  Vec3 rotate_deg;
  Vec3 translate;
};

void apply_transform(const MeshTransform& transform, MeshData* mesh);

// Ring around the z axis through the origin: tube radius `minor` around a circle of `major`.
MeshData make_torus(float major, float minor, int major_segments, int minor_segments);
// A closed round tube of `radius` along the polyline `points` (two or more), capped at both
// ends; `segments` vertices around.
MeshData make_tube(const std::vector<Vec3>& points, float radius, int segments);
// A coil spring: a tube of wire_radius along a helix of `radius` around the z axis, from z = 0
// to z = height, making `turns` turns.
MeshData make_helix(float radius, float height, float turns, float wire_radius, int segments);

// Smooth normals: the area-weighted mean of the faces around each vertex.
void compute_vertex_normals(MeshData* mesh);

// Parses Wavefront OBJ text (tinyobjloader; polygons are triangulated, materials and
// texture coordinates ignored). `label` names the file in errors (InputError).
MeshData parse_obj(const std::string& text, const std::string& label);

}  // namespace nerds::scenes
