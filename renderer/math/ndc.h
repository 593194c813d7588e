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

#include <cmath>

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

// The vector-Jacobian product of ndc_point at p: d_in = J^T d_out, with
//   J = [[ax/z, 0, -ax x/z^2], [0, ay/z, -ay y/z^2], [0, 0, -2n/z^2]].
NERDS_HD Vec3 ndc_point_vjp(const NdcCamera& c, Vec3 p, Vec3 d_out) {
  const float ax = -c.fx / (0.5f * c.width), ay = -c.fy / (0.5f * c.height);
  const float iz = 1.f / p.z;
  return make_vec3(ax * iz * d_out.x, ay * iz * d_out.y,
                   -(ax * p.x * d_out.x + ay * p.y * d_out.y + 2.f * c.near * d_out.z) * iz * iz);
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

// NDC as the engine's space warp (warp.kind = ndc): the rays of the engine's frame are taken
// into the reference camera's frame (world units: the engine's p * scale + offset undone,
// then the inverse of the reference pose), warped into NDC, and the block
// [-extent_x, extent_x] x [-extent_y, extent_y] x [-1, 1] is mapped onto the scene box
// 0.5 +- box_half, where the occupancy grid, the marcher, the hierarchical sampler and the
// compositing run unchanged (with box distances, as NeRF composites with NDC distances). The
// ray's direction is normalized, so t measures length in the box. NeRF's MLP takes any NDC
// point; the box holds only the block, so the block must hold what every training camera sees:
// a camera beside the reference sees past the reference frustum's sides (|x'| > 1), most near
// its near plane (ndc_reference.cpp sets the extents from the training cameras' frusta).
struct NdcWarp {
  NdcCamera camera;
  Pose reference_to_world;  // the reference camera (rigid, OpenGL: it looks down -z)
  float scale = 1.f;        // world -> engine frame: p * scale + offset (Dataset::scale, offset)
  Vec3 offset;
  // The nearest depth (world units, along the reference camera's -z) where content may lie:
  // the dataset's near bound seen from the reference camera (ndc_reference.cpp); 0 when
  // unknown. NeRF's near plane sits at 0.75 of it (bd_factor), so the slab between is empty
  // by the dataset's own bounds.
  float content_depth = 0.f;
  // The NDC x' and y' half-sizes of the block the box holds (>= 1; 1 and 1: NeRF's cube, the
  // reference camera's frustum).
  float extent_x = 1.f, extent_y = 1.f;
};

// An NDC point in the box: 0.5 + box_half (x' / extent_x, y' / extent_y, z').
NERDS_HD Vec3 ndc_to_box(const NdcWarp& w, float box_half, Vec3 q) {
  return make_vec3(0.5f + box_half * q.x / w.extent_x, 0.5f + box_half * q.y / w.extent_y, 0.5f + box_half * q.z);
}

// A box point in NDC (the inverse of ndc_to_box).
NERDS_HD Vec3 box_to_ndc(const NdcWarp& w, float box_half, Vec3 p) {
  const float inv = 1.f / box_half;
  return make_vec3((p.x - 0.5f) * inv * w.extent_x, (p.y - 0.5f) * inv * w.extent_y, (p.z - 0.5f) * inv);
}

// The box z (0.5 + box_half z') of the NDC plane at reference depth `depth` > 0:
// z' = 1 - 2n / depth (Eq. 25's third coordinate).
NERDS_HD float ndc_box_z_of_depth(const NdcWarp& w, float box_half, float depth) {
  return 0.5f + box_half * (1.f - 2.f * w.camera.near / depth);
}

// A point of the engine's frame in the reference camera's frame: R^T ((p - offset) / scale - c).
NERDS_HD Vec3 ndc_engine_to_reference(const NdcWarp& w, Vec3 p) {
  return w.reference_to_world.to_camera((p - w.offset) * (1.f / w.scale));
}

// The engine-frame ray o + s d (d unit) as a ray of the box: *o_box where it meets the near
// plane, *d_box of unit length. False when it does not head away from the reference camera
// (d.z >= 0 in its frame: it never reaches depth infinity, so NDC does not hold it).
NERDS_HD bool ndc_box_ray(const NdcWarp& w, float box_half, Vec3 o, Vec3 d, Vec3* o_box, Vec3* d_box) {
  const Vec3 dr = w.reference_to_world.unrotate(d);
  if (!(dr.z < -1e-6f)) return false;
  Vec3 on, dn;
  ndc_ray(w.camera, ndc_engine_to_reference(w, o), dr, &on, &dn);
  *o_box = ndc_to_box(w, box_half, on);
  // The direction scales as the points do (its z is 2n / n_depth = 2 at the near plane: > 0).
  *d_box = normalize(make_vec3(dn.x / w.extent_x, dn.y / w.extent_y, dn.z));
  return true;
}

// A point of the box back in the engine's frame (NDC z is clamped just below 1, infinity).
NERDS_HD Vec3 ndc_box_to_engine(const NdcWarp& w, float box_half, Vec3 p_box) {
  Vec3 q = box_to_ndc(w, box_half, p_box);
  q.z = q.z < 1.f - 1e-6f ? q.z : 1.f - 1e-6f;
  return w.reference_to_world.apply(ndc_to_world(w.camera, q)) * w.scale + w.offset;
}

// Mip-NeRF's cone radius per unit box distance for NDC rays (Barron et al. 2021, Sec. 3.1; its
// code takes the radius from neighbouring pixels' NDC directions, which differ by 2/W per unit
// t' in x): (2/W) / |d'| * 2/sqrt(12), with |d'| ~ 2 on the reference camera's axis, for the
// reference camera's pixels. A ray through a pixel of cone radius `pixel_radius` (per unit
// world distance, 2/(sqrt(12) fx)) has that value times its footprint relative to them, so
// renders at another resolution get their own footprint: pixel_radius * fx_ref / W. The box
// holds x' and y' shrunk by the extents, so the cone's width across the ray shrinks by them too
// (their geometric mean: the cone stays round).
NERDS_HD float ndc_cone_radius(const NdcWarp& w, float pixel_radius) {
  return pixel_radius * w.camera.fx / w.camera.width / sqrtf(w.extent_x * w.extent_y);
}

}  // namespace nerds
