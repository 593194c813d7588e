// The ray as the samplers see it: in the scene box 0.5 +- box_half, where the occupancy grid,
// the marcher, the hierarchical sampler and the compositing work. Without a warp it is the
// engine-frame ray itself; with NeRF's NDC (warp.kind = ndc; ndc.h) it is the ray warped
// into NDC, the cube mapped onto the box, starting on the near plane. Either way its
// direction is unit, t is length in the box, and [t0, t1] is its overlap with the box. With
// Mip-NeRF 360's contraction (warp.kind = contract; contraction.h) the ray stays the
// engine-frame ray, t is engine distance from its origin up to the warp's far plane, and
// only its samples' positions are contracted into the box (contracted_march.h). The
// network's color stage still sees the original (world) direction.
#pragma once

#include "renderer/math/contracted_march.h"
#include "renderer/math/contraction.h"
#include "renderer/math/hd.h"
#include "renderer/math/ndc.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/vec3.h"

namespace nerds {

enum class WarpKind : int { None = 0, Ndc = 1, Contract = 2 };

struct WarpSettings {
  WarpKind kind = WarpKind::None;
  NdcWarp ndc;            // when kind == Ndc
  ContractWarp contract;  // when kind == Contract
};

struct SamplingRay {
  Vec3 origin, dir;  // in the box; dir unit
  float t0 = 0.f, t1 = 0.f;
  bool hit = false;  // false: the ray misses the box (or, in NDC, heads back past the reference camera)
};

// The engine-frame ray o + s d (d unit) as the samplers see it.
NERDS_HD SamplingRay sampling_ray(const WarpSettings& warp, const MarchSettings& march, Vec3 o, Vec3 d) {
  SamplingRay r;
  r.origin = o;
  r.dir = d;
  if (warp.kind == WarpKind::Contract) {
    r.t1 = warp.contract.far;
    r.hit = true;
    return r;
  }
  if (warp.kind == WarpKind::Ndc && !ndc_box_ray(warp.ndc, march.box_half, o, d, &r.origin, &r.dir)) return r;
  r.hit = march_bounds(march, r.origin, r.dir, &r.t0, &r.t1);
  return r;
}

// A point of the engine's frame where the samplers (and so the network) see it: itself without
// a warp; in NDC the point's NDC position mapped onto the box (Engine::density_at/color_at);
// contracted, its contracted position mapped onto the box.
NERDS_HD Vec3 sampling_point(const WarpSettings& warp, float box_half, Vec3 p) {
  if (warp.kind == WarpKind::Contract) return contract_to_box(warp.contract, box_half, p);
  if (warp.kind != WarpKind::Ndc) return p;
  return ndc_to_box(warp.ndc, box_half, ndc_point(warp.ndc.camera, ndc_engine_to_reference(warp.ndc, p)));
}

// Where a ray's march starts (march_start; `offset` in [0, 1) steps in), with the warp's steps.
NERDS_HD float warped_march_start(const MarchSettings& march, const WarpSettings& warp, const SamplingRay& r,
                                  float offset) {
  if (warp.kind == WarpKind::Contract) return contract_march_start(march, warp.contract, r.origin, r.dir, r.t0, offset);
  return march_start(march, r.t0, offset);
}

// Marches the ray from *t to t_end (march_ray; contracted: march_contracted_ray), emitting
// emit(t, dt, box position); the warp is looked at once per ray, not per sample.
template <class Emit>
NERDS_HD int march_warped_ray(const MarchSettings& march, const WarpSettings& warp, const OccupancyView& grid,
                              const SamplingRay& r, float* t, float t_end, int max_count, Emit emit) {
  if (warp.kind == WarpKind::Contract)
    return march_contracted_ray(march, warp.contract, grid, r.origin, r.dir, t, t_end, max_count, emit);
  return march_ray(march, grid, r.origin, r.dir, t, t_end, max_count, emit);
}

// The cone radius per unit distance of a ray's samples: the pixel's (Mip-NeRF's IPE) without
// a warp; in NDC the NDC one for the same pixel footprint (ndc_cone_radius).
NERDS_HD float sampling_cone_radius(const WarpSettings& warp, float pixel_radius) {
  return warp.kind == WarpKind::Ndc ? ndc_cone_radius(warp.ndc, pixel_radius) : pixel_radius;
}

// A ray's rendered depth in the engine's frame: `depth_sum` is composite_forward's sum w_i t_i
// in box distances and `opacity` the sum of the weights. In NDC the expected box distance's
// point is taken back to the engine's frame and its distance from the engine-frame origin o
// returned, times the opacity (as the unwarped sum is: consumers divide by the opacity).
// Contracted rays composite at engine distances already.
NERDS_HD float engine_depth(const WarpSettings& warp, const MarchSettings& march, const SamplingRay& r, Vec3 o,
                            float depth_sum, float opacity) {
  if (warp.kind != WarpKind::Ndc || !(opacity > 0.f)) return depth_sum;
  const Vec3 p = ndc_box_to_engine(warp.ndc, march.box_half, r.origin + r.dir * (depth_sum / opacity));
  return length(p - o) * opacity;
}

}  // namespace nerds
