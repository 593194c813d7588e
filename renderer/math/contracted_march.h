// Ray marching through contracted space (warp.kind = contract; contraction.h): the ray is the
// straight engine-frame ray o + t d, its samples are spaced equally in contracted space (one
// marcher step dt_min of the box, so uniform inside the unit ball and uniform in disparity far
// beyond it: Mip-NeRF 360, Eq. 10-11), and each is kept when the occupancy grid marks the cell
// of its contracted point occupied. The contracted ray is curved, so the straight-line skips of
// march_ray (jumping to an empty cell's exit) do not hold: every lattice point is looked up,
// which keeps march_ray's rule that the samples are the lattice points in occupied cells.
#pragma once

#include "renderer/math/contraction.h"
#include "renderer/math/hd.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/vec3.h"

namespace nerds {

// One marcher step in contraction units: dt_min of the box, whose half-side box_half holds
// 2 contraction units (contract_to_box).
NERDS_HD float contract_march_step(const MarchSettings& s) { return s.dt_min * 2.f / s.box_half; }

// The engine-distance step of the march at t along o + t d.
NERDS_HD float contract_march_dt(const MarchSettings& s, const ContractWarp& w, Vec3 o, Vec3 d, float t) {
  return contract_step(w, o + d * t, d, contract_march_step(s));
}

// As march_start: `offset` in [0,1) steps from t0 into the ray.
NERDS_HD float contract_march_start(const MarchSettings& s, const ContractWarp& w, Vec3 o, Vec3 d, float t0,
                                    float offset) {
  return t0 + offset * contract_march_dt(s, w, o, d, t0);
}

// As march_ray, emitting emit(t, dt, box position of the contracted point), t and dt in
// engine units; *t is advanced so marching can resume.
template <class Emit>
NERDS_HD int march_contracted_ray(const MarchSettings& s, const ContractWarp& w, const OccupancyView& grid, Vec3 o,
                                  Vec3 d, float* t, float t_end, int max_count, Emit emit) {
  const float step = contract_march_step(s);
  int n = 0;
  float tt = *t;
  while (tt < t_end && n < max_count) {
    const Vec3 p = o + d * tt;
    const float dt = contract_step(w, p, d, step);
    const Vec3 q = contract_to_box(w, s.box_half, p);
    if (occupancy_test(grid, q)) {
      emit(tt, dt, q);
      ++n;
    }
    tt += dt;
  }
  *t = tt;
  return n;
}

}  // namespace nerds
