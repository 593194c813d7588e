#include "scenes/generator/mesh_builders.h"

#include <tiny_obj_loader.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "renderer/error.h"

namespace nerds::scenes {

namespace {

constexpr float kPi = 3.14159265358979f;

Vec3 rotate_axis(Vec3 v, int axis, float degrees) {
  const float a = degrees * kPi / 180.f, c = std::cos(a), s = std::sin(a);
  if (axis == 0) return make_vec3(v.x, c * v.y - s * v.z, s * v.y + c * v.z);
  if (axis == 1) return make_vec3(c * v.x + s * v.z, v.y, -s * v.x + c * v.z);
  return make_vec3(c * v.x - s * v.y, s * v.x + c * v.y, v.z);
}

Vec3 rotate_xyz(Vec3 v, Vec3 degrees) {
  for (int axis = 0; axis < 3; ++axis) {
    if (degrees[axis] != 0.f) v = rotate_axis(v, axis, degrees[axis]);
  }
  return v;
}

// Any unit vector perpendicular to unit `t`.
Vec3 perpendicular(Vec3 t) {
  Vec3 other = std::fabs(t.z) < 0.9f ? make_vec3(0.f, 0.f, 1.f) : make_vec3(1.f, 0.f, 0.f);
  return normalize(cross(t, other));
}

// A flat cap closing a ring of `segments` rim vertices starting at `rim`: its own copies of
// the rim (with the cap's normal) and a center vertex.
void add_cap(MeshData* mesh, int rim, int segments, Vec3 center, Vec3 outward) {
  const int first = static_cast<int>(mesh->positions.size());
  for (int k = 0; k < segments; ++k) {
    mesh->positions.push_back(mesh->positions[rim + k]);
    mesh->normals.push_back(outward);
  }
  const int middle = static_cast<int>(mesh->positions.size());
  mesh->positions.push_back(center);
  mesh->normals.push_back(outward);
  for (int k = 0; k < segments; ++k) {
    int a = first + k, b = first + (k + 1) % segments;
    // Orient counter-clockwise seen from outside (along `outward`).
    Vec3 n = cross(mesh->positions[a] - center, mesh->positions[b] - center);
    if (dot(n, outward) >= 0.f) {
      mesh->triangles.push_back({middle, a, b});
    } else {
      mesh->triangles.push_back({middle, b, a});
    }
  }
}

}  // namespace

void apply_transform(const MeshTransform& transform, MeshData* mesh) {
  for (Vec3& p : mesh->positions) p = rotate_xyz(p * transform.scale, transform.rotate_deg) + transform.translate;
  // Normals transform by the inverse transpose: divide by the scale, then rotate.
  for (Vec3& n : mesh->normals) {
    Vec3 m = make_vec3(n.x / transform.scale.x, n.y / transform.scale.y, n.z / transform.scale.z);
    n = normalize(rotate_xyz(m, transform.rotate_deg));
  }
  // A mirroring scale (negative determinant) turns the winding inside out: restore it.
  if (transform.scale.x * transform.scale.y * transform.scale.z < 0.f) {
    for (auto& f : mesh->triangles) std::swap(f[1], f[2]);
  }
}

MeshData make_torus(float major, float minor, int major_segments, int minor_segments) {
  MeshData mesh;
  for (int i = 0; i < major_segments; ++i) {
    const float u = 2.f * kPi * static_cast<float>(i) / static_cast<float>(major_segments);
    for (int j = 0; j < minor_segments; ++j) {
      const float v = 2.f * kPi * static_cast<float>(j) / static_cast<float>(minor_segments);
      Vec3 n = make_vec3(std::cos(v) * std::cos(u), std::cos(v) * std::sin(u), std::sin(v));
      mesh.positions.push_back(make_vec3(major * std::cos(u), major * std::sin(u), 0.f) + n * minor);
      mesh.normals.push_back(n);
    }
  }
  for (int i = 0; i < major_segments; ++i) {
    for (int j = 0; j < minor_segments; ++j) {
      int i1 = (i + 1) % major_segments, j1 = (j + 1) % minor_segments;
      int a = i * minor_segments + j, b = i1 * minor_segments + j, c = i1 * minor_segments + j1,
          d = i * minor_segments + j1;
      mesh.triangles.push_back({a, b, c});
      mesh.triangles.push_back({a, c, d});
    }
  }
  return mesh;
}

MeshData make_tube(const std::vector<Vec3>& points, float radius, int segments) {
  MeshData mesh;
  const int n = static_cast<int>(points.size());
  // Parallel transport: each ring's frame is the previous one turned onto the new tangent,
  // so the tube does not twist.
  Vec3 normal;
  for (int i = 0; i < n; ++i) {
    Vec3 in = i > 0 ? normalize(points[i] - points[i - 1]) : Vec3{};
    Vec3 out = i + 1 < n ? normalize(points[i + 1] - points[i]) : Vec3{};
    Vec3 sum = in + out;
    Vec3 tangent = length(sum) > 1e-6f ? normalize(sum) : (i > 0 ? in : out);
    normal = i == 0 ? perpendicular(tangent) : normal - tangent * dot(normal, tangent);
    if (length(normal) < 1e-6f) normal = perpendicular(tangent);
    normal = normalize(normal);
    const Vec3 binormal = cross(tangent, normal);
    for (int k = 0; k < segments; ++k) {
      const float a = 2.f * kPi * static_cast<float>(k) / static_cast<float>(segments);
      Vec3 radial = normal * std::cos(a) + binormal * std::sin(a);
      mesh.positions.push_back(points[i] + radial * radius);
      mesh.normals.push_back(radial);
    }
  }
  for (int i = 0; i + 1 < n; ++i) {
    for (int k = 0; k < segments; ++k) {
      int k1 = (k + 1) % segments;
      int a = i * segments + k, b = i * segments + k1, c = (i + 1) * segments + k1, d = (i + 1) * segments + k;
      mesh.triangles.push_back({a, b, c});
      mesh.triangles.push_back({a, c, d});
    }
  }
  add_cap(&mesh, 0, segments, points[0], normalize(points[0] - points[1]));
  add_cap(&mesh, (n - 1) * segments, segments, points[n - 1], normalize(points[n - 1] - points[n - 2]));
  return mesh;
}

MeshData make_helix(float radius, float height, float turns, float wire_radius, int segments) {
  const int steps = std::max(2, static_cast<int>(std::ceil(turns * 32.f)));
  std::vector<Vec3> points;
  for (int i = 0; i <= steps; ++i) {
    const float f = static_cast<float>(i) / static_cast<float>(steps);
    const float a = 2.f * kPi * turns * f;
    points.push_back(make_vec3(radius * std::cos(a), radius * std::sin(a), height * f));
  }
  return make_tube(points, wire_radius, segments);
}

void compute_vertex_normals(MeshData* mesh) {
  mesh->normals.assign(mesh->positions.size(), Vec3{});
  for (const auto& f : mesh->triangles) {
    // The cross product's length is twice the area: an area-weighted sum.
    Vec3 n = cross(mesh->positions[f[1]] - mesh->positions[f[0]], mesh->positions[f[2]] - mesh->positions[f[0]]);
    for (int index : f) mesh->normals[index] = mesh->normals[index] + n;
  }
  for (Vec3& n : mesh->normals) {
    float len = length(n);
    n = len > 1e-20f ? n / len : make_vec3(0.f, 0.f, 1.f);
  }
}

namespace {

// The OBJ statements a mesh is made of, checked line by line before tinyobjloader reads the
// text: it reads an unparsable number as 0 and skips what it cannot use without a word.
// "v x y z [w | r g b]": finite numbers; "f a b c ...": three or more vertex references
// "i", "i/t", "i//n" or "i/t/n", each i a non-zero integer naming a vertex defined above
// (negative: counted back from the last one). Other statements (vt, vn, g, o, s, usemtl ...)
// carry nothing the ray tracer uses and pass unchecked.
void check_obj_lines(const std::string& text, const std::string& label) {
  std::istringstream lines(text);
  std::string line;
  int64_t vertices = 0;
  for (int number = 1; std::getline(lines, line); ++number) {
    const std::string where = "line " + std::to_string(number);
    std::istringstream tokens(line.substr(0, line.find('#')));
    std::string keyword;
    if (!(tokens >> keyword) || (keyword != "v" && keyword != "f")) continue;
    std::vector<std::string> args;
    for (std::string t; tokens >> t;) args.push_back(t);
    if (keyword == "v") {
      if (args.size() != 3 && args.size() != 4 && args.size() != 6)
        throw InputError(label, where, "a vertex needs 3 coordinates (x y z [w]), got \"" + line + "\"");
      for (const std::string& a : args) {
        char* end = nullptr;
        const double value = std::strtod(a.c_str(), &end);
        const bool hex = a.find_first_of("xX") != std::string::npos;  // strtod reads it, tinyobjloader does not
        if (end != a.c_str() + a.size() || hex || !std::isfinite(value))
          throw InputError(label, where, "vertex coordinate '" + a + "' is not a finite number");
      }
      ++vertices;
      continue;
    }
    if (args.size() < 3) throw InputError(label, where, "a face needs at least 3 vertices, got \"" + line + "\"");
    for (const std::string& a : args) {
      const std::string index_text = a.substr(0, a.find('/'));
      char* end = nullptr;
      errno = 0;
      const long long index = std::strtoll(index_text.c_str(), &end, 10);
      if (index_text.empty() || end != index_text.c_str() + index_text.size() || errno == ERANGE)
        throw InputError(label, where, "face vertex '" + a + "' is not a vertex number");
      if (index == 0 || index > vertices || index < -vertices)
        throw InputError(label, where,
                         "face vertex " + std::to_string(index) + " does not exist (" + std::to_string(vertices) +
                             " vertices defined above; numbers count from 1, negative ones back from the last)");
    }
  }
}

bool degenerate(const MeshData& mesh, const std::array<int, 3>& t) {
  const Vec3 a = mesh.positions[t[0]], b = mesh.positions[t[1]], c = mesh.positions[t[2]];
  return length(cross(b - a, c - a)) == 0.f;
}

}  // namespace

MeshData parse_obj(const std::string& text, const std::string& label) {
  check_obj_lines(text, label);
  tinyobj::ObjReaderConfig config;
  config.triangulate = true;
  config.vertex_color = false;
  tinyobj::ObjReader reader;
  if (!reader.ParseFromString(text, "", config)) {
    std::string error = reader.Error();
    while (!error.empty() && (error.back() == '\n' || error.back() == '\r')) error.pop_back();
    throw InputError(label, "", "not a readable OBJ file: " + (error.empty() ? std::string("parse error") : error));
  }
  const tinyobj::attrib_t& attrib = reader.GetAttrib();
  MeshData mesh;
  for (size_t i = 0; i + 2 < attrib.vertices.size(); i += 3) {
    mesh.positions.push_back(make_vec3(attrib.vertices[i], attrib.vertices[i + 1], attrib.vertices[i + 2]));
  }
  for (const tinyobj::shape_t& shape : reader.GetShapes()) {
    const auto& indices = shape.mesh.indices;
    for (size_t i = 0; i + 2 < indices.size(); i += 3) {
      mesh.triangles.push_back({indices[i].vertex_index, indices[i + 1].vertex_index, indices[i + 2].vertex_index});
    }
  }
  if (mesh.triangles.empty()) throw InputError(label, "", "the OBJ file has no faces");
  // Degenerate triangles are harmless among others (no ray hits them), but a mesh of nothing
  // else is invisible: a mistake, not a scene.
  const size_t usable = std::count_if(mesh.triangles.begin(), mesh.triangles.end(),
                                      [&](const std::array<int, 3>& t) { return !degenerate(mesh, t); });
  if (usable == 0)
    throw InputError(label, "",
                     "no usable triangle: all " + std::to_string(mesh.triangles.size()) +
                         " have zero area (repeated or collinear vertices)");
  return mesh;
}

}  // namespace nerds::scenes
