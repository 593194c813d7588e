// The occupancy grid of Instant-NGP (Müller et al. 2022, Sec. 5.4 and App. E.2): a 128^3 bit
// grid per cascade marking cells whose density may be non-zero, so the ray marcher skips
// empty space. Cascade c covers the box 0.5 +- 2^c / 2 (instant-ngp's unit-cube frame); the
// marcher uses the finest cascade that contains a point.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "renderer/math/hd.h"
#include "renderer/math/rng.h"
#include "renderer/math/scalar.h"
#include "renderer/math/vec3.h"

namespace nerds {

struct OccupancyView {
  const uint8_t* bits = nullptr;  // cascades * resolution^3 bits, cascade-major, x fastest
  int resolution = 128;
  int cascades = 1;
};

// The finest cascade whose box contains p (clamped to the coarsest).
NERDS_HD int occupancy_cascade(Vec3 p, int cascades) {
  const float m = max_f(max_f(abs_f(p.x - 0.5f), abs_f(p.y - 0.5f)), abs_f(p.z - 0.5f));
  // Cascade c covers |p - 0.5| < 2^c / 2.
  int c = 0;
  float half = 0.5f;
  while (c < cascades - 1 && m >= half) {
    half *= 2.f;
    ++c;
  }
  return c;
}

// Cell index within a cascade's grid (x fastest); positions outside are clamped.
NERDS_HD uint32_t occupancy_cell(Vec3 p, int cascade, int resolution) {
  const float inv_size = 1.f / static_cast<float>(1 << cascade);
  uint32_t idx[3];
  for (int a = 0; a < 3; ++a) {
    const float q = ((p[a] - 0.5f) * inv_size + 0.5f) * resolution;
    int i = static_cast<int>(floorf(q));
    i = i < 0 ? 0 : (i >= resolution ? resolution - 1 : i);
    idx[a] = static_cast<uint32_t>(i);
  }
  return idx[0] + resolution * (idx[1] + resolution * idx[2]);
}

// The center of a cell, for the grid update's density queries.
NERDS_HD Vec3 occupancy_cell_position(uint32_t cell, int cascade, int resolution, float jx, float jy, float jz) {
  const uint32_t r = static_cast<uint32_t>(resolution);
  const float size = static_cast<float>(1 << cascade);
  const float fx = (static_cast<float>(cell % r) + jx) / resolution;
  const float fy = (static_cast<float>((cell / r) % r) + jy) / resolution;
  const float fz = (static_cast<float>(cell / (r * r)) + jz) / resolution;
  return make_vec3((fx - 0.5f) * size + 0.5f, (fy - 0.5f) * size + 0.5f, (fz - 0.5f) * size + 0.5f);
}

// True when a cell of cascade c lies inside cascade c-1's box: the marcher never reads it,
// so the grid update leaves it alone.
NERDS_HD bool occupancy_covered_by_finer_cascade(uint32_t cell, int cascade, int resolution) {
  if (cascade == 0) return false;
  const uint32_t r = static_cast<uint32_t>(resolution);
  const uint32_t idx[3] = {cell % r, (cell / r) % r, cell / (r * r)};
  for (int a = 0; a < 3; ++a)
    if (idx[a] < r / 4 || idx[a] >= 3 * r / 4) return false;
  return true;
}

// The grid update's query number i (Instant-NGP, App. E.2): during warm-up (all_cells) cell i;
// after it, the first `half` queries take a uniformly random cell and the others a random
// occupied one (from the ascending list of occupied cells; a random cell while there is
// none). The point is uniformly random inside the cell, in the unit-cube frame. Keyed by
// (seed, step, i), so both backends query the same cells at the same points.
struct OccupancyQuery {
  uint32_t cell;  // index over all cascades (cascade-major)
  Vec3 point;
};

NERDS_HD OccupancyQuery occupancy_query(int64_t i, bool all_cells, int64_t half, uint32_t total,
                                        const uint32_t* occupied, uint32_t n_occupied, int resolution, uint64_t seed,
                                        int step) {
  Pcg32 rng(seed ^ 0x0cc0, (static_cast<uint64_t>(static_cast<uint32_t>(step)) << 32) | static_cast<uint32_t>(i));
  OccupancyQuery q;
  if (all_cells) q.cell = static_cast<uint32_t>(i);
  else if (i < half || n_occupied == 0) q.cell = rng.next_uint() % total;
  else q.cell = occupied[rng.next_uint() % n_occupied];
  const uint32_t per_cascade = static_cast<uint32_t>(resolution) * resolution * resolution;
  const float jx = rng.next_float(), jy = rng.next_float(), jz = rng.next_float();
  q.point = occupancy_cell_position(q.cell % per_cascade, static_cast<int>(q.cell / per_cascade), resolution, jx, jy, jz);
  return q;
}

NERDS_HD bool occupancy_test(const OccupancyView& grid, Vec3 p) {
  const int c = occupancy_cascade(p, grid.cascades);
  const uint32_t cell = occupancy_cell(p, c, grid.resolution);
  const size_t bit = static_cast<size_t>(c) * grid.resolution * grid.resolution * grid.resolution + cell;
  return (grid.bits[bit >> 3] >> (bit & 7)) & 1;
}

// Distance along the ray from p to where it leaves p's cell (in the cascade holding p).
NERDS_HD float occupancy_cell_exit(Vec3 p, Vec3 d, int cascade, int resolution) {
  const float cells_per_unit = resolution / static_cast<float>(1 << cascade);
  float t_exit = 3.4e38f;
  for (int a = 0; a < 3; ++a) {
    const float q = ((p[a] - 0.5f) * cells_per_unit) + 0.5f * resolution;
    const float boundary = d[a] > 0.f ? floorf(q) + 1.f : ceilf(q) - 1.f;
    const float da = d[a] * cells_per_unit;
    if (da != 0.f) t_exit = min_f(t_exit, (boundary - q) / da);
  }
  return max_f(t_exit, 0.f);
}

}  // namespace nerds
