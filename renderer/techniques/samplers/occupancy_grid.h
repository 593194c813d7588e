// The occupancy grid's storage and its periodic update (Instant-NGP, Sec. 5.4 / App. E.2):
// every `interval` steps each cell's value decays by `decay` and is raised to the density
// the network now predicts at a random point in the cell (all cells during warm-up, then a
// fraction of the cells at random, a quarter in instant-ngp, plus as many occupied ones); a cell is occupied when its
// optical thickness over the minimum step exceeds min(threshold, mean). Cells no training
// camera sees stay empty, as in instant-ngp. The per-cell passes are the bodies of
// renderer/math/occupancy_update.h, which the CUDA grid (cuda/device_occupancy.cu) launches.
#pragma once

#include <cstdint>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/math/contraction.h"
#include "renderer/math/occupancy.h"

namespace nerds {

class NerfNetwork;

// Cascades of the grid at most: instant-ngp's 8, a scene box up to aabb_scale 128.
constexpr int kMaxOccupancyCascades = 8;

// The coarse level's blocks: 2^shift cells per axis (OccupancyView::coarse_bits).
constexpr int kOccupancyCoarseShift = 3;

struct OccupancyConfig {
  bool enabled = true;
  int resolution = 128;
  int cascades = 1;
  float decay = 0.95f;
  float threshold = 0.01f;   // optical thickness sigma * thickness_step
  // The step a cell's optical thickness is measured over: Instant-NGP's minimum step
  // sqrt(3)/1024 (App. E.2), whatever step the marcher takes (march.steps may be coarser), so
  // that the threshold stands for the same density at every march step.
  float thickness_step = 1.7320508f / 1024.f;
  int interval = 16;         // steps between updates
  int warmup_steps = 256;    // update every cell until then
  int cull_from_step = 0;    // no cell is marked empty by an update before this step (occupancy_threshold_at)
  float update_fraction = 0.25f;  // after warm-up: this fraction of all cells at random, and as many occupied ones
  // warp.kind = contract (renderer/math/contraction.h): the cells hold contracted space, where
  // a step of the march spans more of the engine's frame the farther out it is, so a query's
  // thickness is taken over what thickness_step spans there: contract_engine_per_box (the
  // engine length of one box unit inside the unit ball, 2 radius / box_half) times
  // contract_radial_stretch. Without it far cells whose density is low per unit length, but
  // opaque over the marcher's long steps there (the sky), would be marked empty. The adaptive
  // threshold's mean divides the stretch out again: the far field's long steps would otherwise
  // lift it to `threshold` and cull the foreground while its density is still low.
  bool contracted = false;
  ContractNorm contract_norm = ContractNorm::L2;
  float contract_engine_per_box = 1.f;
};

class OccupancyGrid {
 public:
  OccupancyGrid() = default;
  explicit OccupancyGrid(const OccupancyConfig& config);

  const OccupancyConfig& config() const { return config_; }
  OccupancyView view() const;
  size_t cell_count() const { return values_.size(); }
  std::vector<float>& values() { return values_; }  // per cell: decayed optical thickness; <0 never seen
  const std::vector<float>& values() const { return values_; }
  size_t occupied_count() const { return occupied_; }
  float mean_value() const { return mean_; }

  // Marks cells no training camera sees (their value becomes -1; never occupied).
  void mark_unseen(const std::vector<Frame>& frames);
  // Marks the cells wholly below box z = `box_z` (their far z face at or below it) as unseen:
  // with NDC (warp.kind = ndc) the slab between the near plane and the nearest content the
  // dataset's near bound allows (NdcWarp::content_depth), where no camera can see anything.
  void mark_empty_below_z(float box_z);
  // One update pass at training step `step` (deterministic for the seed and step).
  void update(const NerfNetwork& network, int step, uint64_t seed);
  // Recomputes the bits (and the coarse level's) from the values (after loading a snapshot);
  // `step`: the training step whose update this is (occupancy_threshold_at), or none.
  void rebuild_bits(int step = kNoStep);
  static constexpr int kNoStep = 1 << 30;
  bool is_cell_occupied(size_t cell) const { return (bits_[cell >> 3] >> (cell & 7)) & 1; }

 private:
  OccupancyConfig config_;
  std::vector<float> values_;
  std::vector<uint8_t> bits_;
  std::vector<uint8_t> coarse_bits_;  // per block of 2^kOccupancyCoarseShift cells per axis: any occupied; empty: none
  std::vector<uint32_t> occupied_cells_;  // indices of the set bits, rebuilt with them
  size_t occupied_ = 0;
  float mean_ = 0.f;
};

}  // namespace nerds
