// Normalized device coordinates for forward-facing scenes (NeRF, Mildenhall et al. 2020,
// Appendix C, Eq. 25-26). The frustum of a camera at the origin looking down -z, from the
// near plane z = -n to infinity, is warped into the cube [-1, 1]^3 by the perspective
// projection
//   pi(x, y, z) = (-(f_x / (W/2)) x / z,  -(f_y / (H/2)) y / z,  1 + 2n / z),
// which maps z = -n to -1 and z -> -infinity to +1; straight rays stay straight, and t' in
// [0, 1) along the warped ray is linear in disparity (1/depth) of the original ray. NeRF uses
// it on LLFF captures, in the recentered world frame (the mean camera at the origin, looking
// down -z) with n = 1 after rescaling the near bound to 1/0.75, and one focal for x and y;
// the principal point is taken at the image center.
#pragma once

#include "renderer/math/hd.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct NdcCamera {
  float fx = 1.f, fy = 1.f;         // focal lengths in pixels
  float width = 1.f, height = 1.f;  // image size in pixels
  float near = 1.f;                 // n: the plane z = -n maps to NDC z = -1
};

// The projection pi of a point in front of the camera (p.z < 0).
NERDS_HD Vec3 ndc_point(const NdcCamera& c, Vec3 p) {
  const float ax = -c.fx / (0.5f * c.width), ay = -c.fy / (0.5f * c.height);
  return make_vec3(ax * p.x / p.z, ay * p.y / p.z, 1.f + 2.f * c.near / p.z);
}

// The inverse of ndc_point for NDC z < 1 (finite depth): z = 2n / (z' - 1).
NERDS_HD Vec3 ndc_to_world(const NdcCamera& c, Vec3 q) {
  const float ax = -c.fx / (0.5f * c.width), ay = -c.fy / (0.5f * c.height);
  const float z = 2.f * c.near / (q.z - 1.f);
  return make_vec3(q.x * z / ax, q.y * z / ay, z);
}

// The ray o + t d (d.z < 0: forward-facing) in NDC: first its origin moves to where it meets
// the near plane, o_n = o + t_n d with t_n = -(n + o_z) / d_z, then (Eq. 25-26)
//   o' = ( ax o_x / o_z,  ay o_y / o_z,  1 + 2n / o_z )
//   d' = ( ax (d_x / d_z - o_x / o_z),  ay (d_y / d_z - o_y / o_z),  -2n / o_z )
// with o = o_n, ax = -f_x / (W/2), ay = -f_y / (H/2). o' + t' d' for t' in [0, 1) covers the
// original ray from the near plane to infinity (t' = 1 is the point at infinity).
NERDS_HD void ndc_ray(const NdcCamera& c, Vec3 o, Vec3 d, Vec3* o_ndc, Vec3* d_ndc) {
  const float t_near = -(c.near + o.z) / d.z;
  o = o + d * t_near;
  const float ax = -c.fx / (0.5f * c.width), ay = -c.fy / (0.5f * c.height);
  *o_ndc = make_vec3(ax * o.x / o.z, ay * o.y / o.z, 1.f + 2.f * c.near / o.z);
  *d_ndc = make_vec3(ax * (d.x / d.z - o.x / o.z), ay * (d.y / d.z - o.y / o.z), -2.f * c.near / o.z);
}

}  // namespace nerds
