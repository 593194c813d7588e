// Ray marching through the occupancy grid (Instant-NGP, Sec. 5.4 / App. E.1): steps of
// dt = clamp(t * cone_angle, dt_min, dt_max) (constant sqrt(3)/1024 for synthetic scenes),
// empty cells skipped by jumping to the cell exit and re-aligning to the step lattice, at
// most max_samples samples per ray.
#pragma once

#include <cmath>

#include "renderer/math/hd.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/ray_box.h"
#include "renderer/math/scalar.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct MarchSettings {
  float dt_min = 1.7320508f / 1024.f;  // sqrt(3)/1024: 1024 steps across the unit cube diagonal
  float dt_max = 1.7320508f / 1024.f;
  float cone_angle = 0.f;              // 0: constant steps; 1/256 for large (aabb_scale > 1) scenes
  int max_samples = 1024;
  float box_half = 0.5f;               // the scene box is 0.5 +- box_half
};

NERDS_HD float march_dt(const MarchSettings& s, float t) {
  return clamp_f(t * s.cone_angle, s.dt_min, s.dt_max);
}

// Where a ray's march starts: `offset` in [0,1) steps into the box from its entry t0, so the
// samples sit on the lattice t0 + (offset + k) dt (constant steps). Training draws the offset
// per ray, so over many steps the samples cover every depth; rendering takes 0.5, the middle
// of the first step.
NERDS_HD float march_start(const MarchSettings& s, float t0, float offset) { return t0 + offset * march_dt(s, t0); }

// The network's input position: the scene box 0.5 +- box_half mapped to [0,1]^3.
NERDS_HD Vec3 network_position(Vec3 p, float box_half) {
  const float inv = 0.5f / box_half;
  return make_vec3((p.x - 0.5f) * inv + 0.5f, (p.y - 0.5f) * inv + 0.5f, (p.z - 0.5f) * inv + 0.5f);
}

// The ray's overlap with the scene box; false if it misses.
NERDS_HD bool march_bounds(const MarchSettings& s, Vec3 o, Vec3 d, float* t0, float* t1) {
  const Vec3 lo = make_vec3(0.5f - s.box_half, 0.5f - s.box_half, 0.5f - s.box_half);
  const Vec3 hi = make_vec3(0.5f + s.box_half, 0.5f + s.box_half, 0.5f + s.box_half);
  float a, b;
  if (!ray_box(o, d, lo, hi, &a, &b)) return false;
  *t0 = a;
  *t1 = b;
  return true;
}

// Skips end a hundredth of a step before the computed exit: a lattice point that close to the
// face (within float rounding of it) is landed on and looked up, not jumped over, so which
// points are sampled does not depend on how far one skip reached (a cell or a whole block).
constexpr float kMarchSkipMargin = 0.01f;

// Marches from *t to t_end emitting samples emit(t, dt, position) until max_count samples were
// emitted or the ray left the box; *t is advanced so marching can resume (wavefront rendering).
// The caller's *t sets the step lattice (march_start); returns the number emitted. Empty space
// is skipped by jumping to the exit of the empty cell (or coarse block, see OccupancyView) and
// on to the next lattice point, so the samples are the lattice points in occupied cells
// whatever the skips were.
template <class Emit>
NERDS_HD int march_ray(const MarchSettings& s, const OccupancyView& grid, Vec3 o, Vec3 d, float* t, float t_end,
                       int max_count, Emit emit) {
  const OccupancyRay ray = occupancy_ray(d, grid.resolution);
  int n = 0;
  float tt = *t;
  if (s.cone_angle == 0.f) {
    // Constant steps: a sample steps on by dt, as a resumed march would from *t; the empty
    // space after it is crossed by counting steps k from there (t = after + k dt, no running
    // sum), so one jump over k empty steps lands exactly where several shorter ones would.
    const float dt = march_dt(s, tt);
    const float steps_per_t = 1.f / dt;
    float after = tt;  // the point after the last sample (or the start)
    int k = 0;
    while (tt < t_end && n < max_count) {
      const Vec3 p = o + d * tt;
      const float empty = occupancy_empty_distance(grid, ray, p, d);
      if (empty < 0.f) {
        emit(tt, dt, p);
        ++n;
        after = tt + dt;
        k = 0;
        tt = after;
      } else {
        // The first lattice point past the exit (at least the next one).
        const float steps = ceilf(min_f(empty * steps_per_t - kMarchSkipMargin, 1e9f));
        k += steps > 1.f ? static_cast<int>(steps) : 1;
        tt = after + static_cast<float>(k) * dt;
      }
    }
  } else {
    const float margin = kMarchSkipMargin * s.dt_min;
    while (tt < t_end && n < max_count) {
      const Vec3 p = o + d * tt;
      const float dt = march_dt(s, tt);
      const float empty = occupancy_empty_distance(grid, ray, p, d);
      if (empty < 0.f) {
        emit(tt, dt, p);
        ++n;
        tt += dt;
      } else {
        // Step on along the growing steps to the exit, so the sample positions do not depend
        // on where the empty space was.
        const float t_target = tt + empty - margin;
        do {
          tt += march_dt(s, tt);
        } while (tt < t_target);
      }
    }
  }
  *t = tt;
  return n;
}

}  // namespace nerds
