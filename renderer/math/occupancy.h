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
  // Optional coarse level (null: fine bits only): one bit per block of 2^coarse_shift cells
  // per axis, set when any cell of the block is occupied; cascades * (resolution >>
  // coarse_shift)^3 bits in the same order. The marcher jumps over an empty block at once.
  const uint8_t* coarse_bits = nullptr;
  int coarse_shift = 0;
};

NERDS_HD bool occupancy_bit(const uint8_t* bits, size_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }

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

// 1 / 2^cascade, the cascade box's size inverted, by halving (exact, and no division).
NERDS_HD float occupancy_cascade_inv_size(int cascade) {
  float s = 1.f;
  for (int c = 0; c < cascade; ++c) s *= 0.5f;
  return s;
}

// A coordinate of p in cells of a cascade (0 at the low face of its box, `resolution` at the
// high face); the cell is its floor.
NERDS_HD float occupancy_cell_coordinate(float p, float inv_size, int resolution) {
  return ((p - 0.5f) * inv_size + 0.5f) * resolution;
}

// The cell holding a cell coordinate, clamped to the grid.
NERDS_HD int occupancy_clamped_cell(float q, int resolution) {
  const int i = static_cast<int>(floorf(q));
  return i < 0 ? 0 : (i >= resolution ? resolution - 1 : i);
}

// Cell index within a cascade's grid (x fastest); positions outside are clamped.
NERDS_HD uint32_t occupancy_cell(Vec3 p, int cascade, int resolution) {
  const float inv_size = occupancy_cascade_inv_size(cascade);
  uint32_t idx[3];
  for (int a = 0; a < 3; ++a)
    idx[a] = static_cast<uint32_t>(occupancy_clamped_cell(occupancy_cell_coordinate(p[a], inv_size, resolution), resolution));
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
  return occupancy_bit(grid.bits, bit);
}

// A ray's constants for skipping empty space, so that a skip divides nothing: per axis the
// distance along the ray per cell of cascade 0, 1 / (d * resolution). An axis the ray does
// not move along gets -3.4e38: the exit below then has (boundary - q) <= 0 on it and the
// product is +huge (0 only where q lies exactly on a face: single steps there), never nearer.
struct OccupancyRay {
  float t_per_cell[3];
};

NERDS_HD OccupancyRay occupancy_ray(Vec3 d, int resolution) {
  OccupancyRay r;
  for (int a = 0; a < 3; ++a) r.t_per_cell[a] = d[a] != 0.f ? 1.f / (d[a] * resolution) : -3.4e38f;
  return r;
}

// At a point p of the ray (direction d): -1 when p's cell is occupied, else the distance
// along the ray to where it leaves the empty region known around p: p's coarse block when
// the view has a coarse level and the block is empty, else p's cell (in the cascade holding
// p). The distance is >= 0.
NERDS_HD float occupancy_empty_distance(const OccupancyView& grid, const OccupancyRay& ray, Vec3 p, Vec3 d) {
  const int res = grid.resolution;
  const int c = occupancy_cascade(p, grid.cascades);
  const float inv_size = occupancy_cascade_inv_size(c);
  float q[3];
  int idx[3];
  for (int a = 0; a < 3; ++a) {
    q[a] = occupancy_cell_coordinate(p[a], inv_size, res);
    idx[a] = occupancy_clamped_cell(q[a], res);
  }
  const size_t per_cascade = static_cast<size_t>(res) * res * res;
  if (occupancy_bit(grid.bits, c * per_cascade + idx[0] + res * (idx[1] + static_cast<size_t>(res) * idx[2]))) return -1.f;
  float block = 1.f, inv_block = 1.f;
  if (grid.coarse_bits) {
    const int s = grid.coarse_shift;
    const int cres = res >> s;
    const size_t coarse = c * static_cast<size_t>(cres) * cres * cres + (idx[0] >> s) +
                          cres * ((idx[1] >> s) + static_cast<size_t>(cres) * (idx[2] >> s));
    if (!occupancy_bit(grid.coarse_bits, coarse)) {
      block = static_cast<float>(1 << s);
      inv_block = occupancy_cascade_inv_size(s);  // 2^-s
    }
  }
  const float size = static_cast<float>(1 << c);
  float t_exit = 3.4e38f;
  for (int a = 0; a < 3; ++a) {
    // The faces of the block holding q (floor, as the cell index): ahead of q going up, at or
    // behind q going down (at q: distance 0, the next lattice point is taken).
    const float low_face = floorf(q[a] * inv_block) * block;
    const float boundary = d[a] > 0.f ? low_face + block : low_face;
    t_exit = min_f(t_exit, (boundary - q[a]) * (ray.t_per_cell[a] * size));
  }
  return max_f(t_exit, 0.f);
}

}  // namespace nerds
