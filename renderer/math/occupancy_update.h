// The occupancy grid's update, one body per pass (Instant-NGP, Müller et al. 2022, App. E.2):
// every `interval` steps each cell's value (its optical thickness sigma * dt, dt Instant-NGP's
// minimum step sqrt(3)/1024: OccupancyConfig::thickness_step) decays by
// 0.95, the queried cells are raised to the density the network now predicts at a random
// point in them (max, never lowered), and a cell is occupied when its value exceeds
// min(threshold, mean over all cells). Cells no training camera sees hold -1: the decay and
// the raise leave them alone and they are never occupied. The CPU grid
// (renderer/techniques/samplers/occupancy_grid.cpp) runs these bodies in its parallel_for and the CUDA
// grid (cuda/device_occupancy.cu) in launch_items.
#pragma once

#include <cstdint>

#include "renderer/math/hd.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/scalar.h"

namespace nerds {

// The grid update's query i: which cell, and the network position of the random point in it
// (occupancy_query; the scene box is the coarsest cascade's).
struct OccupancyQueryBody {
  bool all_cells;
  int64_t half;
  uint32_t total;
  const uint32_t* occupied;  // the occupied cells, ascending
  uint32_t n_occupied;
  int resolution, cascades;
  uint64_t seed;
  int step;
  uint32_t* cells;  // out: one per query
  float* pos;       // out: 3 per query
  NERDS_HD void operator()(int64_t i) const {
    const OccupancyQuery q = occupancy_query(i, all_cells, half, total, occupied, n_occupied, resolution, seed, step);
    const Vec3 p = network_position(q.point, 0.5f * static_cast<float>(1 << (cascades - 1)));
    cells[i] = q.cell;
    pos[3 * i + 0] = p.x;
    pos[3 * i + 1] = p.y;
    pos[3 * i + 2] = p.z;
  }
};

// Decay of cell i (the EMA of App. E.2); unseen cells (< 0) stay at -1.
struct OccupancyDecayBody {
  float decay;
  float* values;
  NERDS_HD void operator()(int64_t i) const {
    if (values[i] >= 0.f) values[i] *= decay;
  }
};

// *value = max(*value, v). On the GPU an atomic max over the float's bits: both are >= 0 there
// (the raise never touches an unseen cell, and densities are >= 0), and non-negative floats
// order like their bit patterns. On the host a plain compare: the CPU grid runs the raises one
// after another, and max does not depend on their order, so both give the same values.
NERDS_HD void raise_to_at_least(float* value, float v) {
#if defined(__CUDA_ARCH__)
  atomicMax(reinterpret_cast<int*>(value), __float_as_int(v));
#else
  if (*value < v) *value = v;
#endif
}

// Query i raises its cell to the optical thickness sigma_i * dt the network now predicts,
// except cells no camera sees and cells a finer cascade covers (the marcher never reads them).
struct OccupancyRaiseBody {
  const uint32_t* cells;
  const float* sigma;
  int resolution;
  float dt;  // OccupancyConfig::thickness_step
  float* values;
  NERDS_HD void operator()(int64_t i) const {
    const uint32_t cell = cells[i];
    if (values[cell] < 0.f) return;  // never seen by a training camera
    const uint32_t per_cascade = static_cast<uint32_t>(resolution) * resolution * resolution;
    if (occupancy_covered_by_finer_cascade(cell % per_cascade, static_cast<int>(cell / per_cascade), resolution)) return;
    raise_to_at_least(values + cell, sigma[i] * dt);
  }
};

// A cell's term of the mean the threshold compares against: unseen cells (-1) count as 0.
NERDS_HD float occupancy_mean_term(float value) { return value < 0.f ? 0.f : value; }

// The mean's terms, written out for a device sum.
struct OccupancyMeanTermBody {
  const float* values;
  float* out;
  NERDS_HD void operator()(int64_t i) const { out[i] = occupancy_mean_term(values[i]); }
};

// The rule that turns a value into an occupied bit, from the mean of occupancy_mean_term:
// value > min(threshold, mean) (App. E.2). Before the first update every value is 0 (mean 0)
// and every cell a camera sees counts as occupied, so the first steps see the whole box.
struct OccupancyThreshold {
  float threshold;
  bool fresh;
};

NERDS_HD OccupancyThreshold occupancy_threshold(float threshold, float mean) {
  OccupancyThreshold t;
  t.threshold = min_f(mean, threshold);  // a NaN mean leaves `threshold`
  t.fresh = mean == 0.f;
  return t;
}

// The rule at training step `step`: before OccupancyConfig::cull_from_step every cell a camera
// sees stays occupied (the values are still kept), as before the first update. NDC sets it
// (warp_module.cpp): there the mean rule's first culls, taken while the density is still
// highest in front of the scene, leave the rays only that front, which grows into a haze.
NERDS_HD OccupancyThreshold occupancy_threshold_at(float threshold, float mean, int step, int cull_from_step) {
  OccupancyThreshold t = occupancy_threshold(threshold, mean);
  if (step < cull_from_step) t.fresh = true;
  return t;
}

NERDS_HD bool occupancy_cell_occupied(float value, OccupancyThreshold t) {
  return t.fresh ? value >= 0.f : value > t.threshold;
}

NERDS_HD int popcount8(uint8_t b) {
#if defined(__CUDA_ARCH__)
  return __popc(b);
#else
  return __builtin_popcount(b);
#endif
}

// Byte `byte` of the bit grid (cells 8 byte .. 8 byte + 7, bit k = cell 8 byte + k) and,
// where `counts` is given, its number of occupied cells (for the list of occupied cells).
struct OccupancyBitsBody {
  const float* values;
  int64_t n;  // cells
  OccupancyThreshold threshold;
  uint8_t* bits;
  int* counts = nullptr;
  NERDS_HD void operator()(int64_t byte) const {
    uint8_t b = 0;
    for (int k = 0; k < 8 && byte * 8 + k < n; ++k)
      if (occupancy_cell_occupied(values[byte * 8 + k], threshold)) b |= static_cast<uint8_t>(1u << k);
    bits[byte] = b;
    if (counts) counts[byte] = popcount8(b);
  }
};

}  // namespace nerds
