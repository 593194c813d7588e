// Small 3-vector and 3x4 rigid transform shared by both backends.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

struct Vec3 {
  float x = 0.f, y = 0.f, z = 0.f;
  NERDS_HD float operator[](int i) const { return i == 0 ? x : (i == 1 ? y : z); }
  NERDS_HD float& operator[](int i) { return i == 0 ? x : (i == 1 ? y : z); }
};

NERDS_HD Vec3 make_vec3(float x, float y, float z) { Vec3 v; v.x = x; v.y = y; v.z = z; return v; }
NERDS_HD Vec3 operator+(Vec3 a, Vec3 b) { return make_vec3(a.x + b.x, a.y + b.y, a.z + b.z); }
NERDS_HD Vec3 operator-(Vec3 a, Vec3 b) { return make_vec3(a.x - b.x, a.y - b.y, a.z - b.z); }
NERDS_HD Vec3 operator-(Vec3 a) { return make_vec3(-a.x, -a.y, -a.z); }
NERDS_HD Vec3 operator*(Vec3 a, float s) { return make_vec3(a.x * s, a.y * s, a.z * s); }
NERDS_HD Vec3 operator*(float s, Vec3 a) { return a * s; }
NERDS_HD Vec3 operator*(Vec3 a, Vec3 b) { return make_vec3(a.x * b.x, a.y * b.y, a.z * b.z); }
NERDS_HD Vec3 operator/(Vec3 a, float s) { return a * (1.f / s); }
NERDS_HD float dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
NERDS_HD Vec3 cross(Vec3 a, Vec3 b) {
  return make_vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
NERDS_HD float length(Vec3 a) { return sqrtf(dot(a, a)); }
NERDS_HD Vec3 normalize(Vec3 a) { return a / length(a); }
NERDS_HD Vec3 vmin(Vec3 a, Vec3 b) { return make_vec3(fminf(a.x, b.x), fminf(a.y, b.y), fminf(a.z, b.z)); }
NERDS_HD Vec3 vmax(Vec3 a, Vec3 b) { return make_vec3(fmaxf(a.x, b.x), fmaxf(a.y, b.y), fmaxf(a.z, b.z)); }

// Camera-to-world rigid transform, row-major 3x4: columns are the camera's x, y, z axes
// and its position, in the OpenGL/Blender convention (the camera looks down -z, +y is up).
struct Pose {
  float m[3][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
  NERDS_HD Vec3 origin() const { return make_vec3(m[0][3], m[1][3], m[2][3]); }
  NERDS_HD Vec3 rotate(Vec3 v) const {
    return make_vec3(m[0][0] * v.x + m[0][1] * v.y + m[0][2] * v.z,
                     m[1][0] * v.x + m[1][1] * v.y + m[1][2] * v.z,
                     m[2][0] * v.x + m[2][1] * v.y + m[2][2] * v.z);
  }
  NERDS_HD Vec3 apply(Vec3 p) const { return rotate(p) + origin(); }
  // The inverse of rotate: a world direction in the camera's frame, R^T v.
  NERDS_HD Vec3 unrotate(Vec3 v) const {
    return make_vec3(m[0][0] * v.x + m[1][0] * v.y + m[2][0] * v.z,
                     m[0][1] * v.x + m[1][1] * v.y + m[2][1] * v.z,
                     m[0][2] * v.x + m[1][2] * v.y + m[2][2] * v.z);
  }
  // The inverse of apply: a world point in the camera's frame, R^T (p - origin).
  NERDS_HD Vec3 to_camera(Vec3 p) const { return unrotate(p - origin()); }
};

}  // namespace nerds
