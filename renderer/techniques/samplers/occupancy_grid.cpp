#include "renderer/techniques/samplers/occupancy_grid.h"

#include <algorithm>
#include <cmath>

#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/backend/parallel.h"
#include "renderer/math/contraction.h"
#include "renderer/math/occupancy_update.h"

namespace nerds {

OccupancyGrid::OccupancyGrid(const OccupancyConfig& config) : config_(config) {
  const size_t per_cascade = static_cast<size_t>(config.resolution) * config.resolution * config.resolution;
  values_.assign(per_cascade * config.cascades, 0.f);
  // Everything starts occupied so the first steps see the whole box.
  bits_.assign((values_.size() + 7) / 8, 0xff);
  occupied_ = values_.size();
  // The coarse level needs whole blocks in a cascade and in the quarter-to-three-quarters box
  // that the next finer cascade covers (so a block is never partly covered); else fine only.
  const int block = 1 << kOccupancyCoarseShift;
  if (config.resolution % (4 * block) == 0) {
    const size_t coarse_res = static_cast<size_t>(config.resolution / block);
    coarse_bits_.assign((coarse_res * coarse_res * coarse_res * config.cascades + 7) / 8, 0xff);
  }
}

OccupancyView OccupancyGrid::view() const {
  OccupancyView v;
  v.bits = bits_.data();
  v.resolution = config_.resolution;
  v.cascades = config_.cascades;
  if (!coarse_bits_.empty()) {
    v.coarse_bits = coarse_bits_.data();
    v.coarse_shift = kOccupancyCoarseShift;
  }
  return v;
}

void OccupancyGrid::mark_unseen(const std::vector<Frame>& frames) {
  const int res = config_.resolution;
  const size_t per_cascade = static_cast<size_t>(res) * res * res;
  parallel_for(static_cast<int64_t>(values_.size()), [&](int64_t i) {
    const int c = static_cast<int>(i / per_cascade);
    const uint32_t cell = static_cast<uint32_t>(i % per_cascade);
    const Vec3 p = occupancy_cell_position(cell, c, res, 0.5f, 0.5f, 0.5f);
    bool seen = false;
    for (const Frame& f : frames) {
      // world -> camera: R^T (p - o)
      const Vec3 q = p - f.pose.origin();
      Vec3 pc;
      pc.x = f.pose.m[0][0] * q.x + f.pose.m[1][0] * q.y + f.pose.m[2][0] * q.z;
      pc.y = f.pose.m[0][1] * q.x + f.pose.m[1][1] * q.y + f.pose.m[2][1] * q.z;
      pc.z = f.pose.m[0][2] * q.x + f.pose.m[1][2] * q.y + f.pose.m[2][2] * q.z;
      float px, py;
      if (camera_to_pixel(f.intrinsics, pc, &px, &py) && px >= 0.f && py >= 0.f &&
          px < f.intrinsics.width && py < f.intrinsics.height) {
        seen = true;
        break;
      }
    }
    if (!seen) values_[i] = -1.f;
  }, 4096);
  rebuild_bits();
}

void OccupancyGrid::mark_empty_below_z(float box_z) {
  const int res = config_.resolution;
  const size_t per_cascade = static_cast<size_t>(res) * res * res;
  parallel_for(static_cast<int64_t>(values_.size()), [&](int64_t i) {
    const int c = static_cast<int>(i / per_cascade);
    const uint32_t cell = static_cast<uint32_t>(i % per_cascade);
    if (occupancy_cell_position(cell, c, res, 0.5f, 0.5f, 1.f).z <= box_z) values_[i] = -1.f;
  }, 4096);
  rebuild_bits();
}

void OccupancyGrid::update(const NerfNetwork& network, int step, uint64_t seed) {
  const int res = config_.resolution;
  const size_t total = values_.size();
  // Which cells to query this pass, and where: the shared formula, one query per item.
  const bool all_cells = step < config_.warmup_steps;
  const int64_t half = static_cast<int64_t>(static_cast<double>(total) * config_.update_fraction);
  const int64_t queries = all_cells ? static_cast<int64_t>(total) : 2 * half;
  std::vector<uint32_t> cells(queries);
  std::vector<float> pos(3 * static_cast<size_t>(queries));
  parallel_for(queries,
               OccupancyQueryBody{all_cells, half, static_cast<uint32_t>(total), occupied_cells_.data(),
                                  static_cast<uint32_t>(occupied_cells_.size()), res, config_.cascades, seed, step,
                                  cells.data(), pos.data()},
               4096);

  // The density at each point, in chunks over threads.
  std::vector<float> fresh(queries, 0.f);
  const int chunk = 4096;
  const int64_t n_chunks = (queries + chunk - 1) / chunk;
  std::vector<NetworkWorkspace> workspaces(cpu_thread_count());
  parallel_for(n_chunks, [&](int64_t k) {
    const int64_t begin = k * chunk;
    const int n = static_cast<int>(std::min<int64_t>(chunk, queries - begin));
    network.density(pos.data() + 3 * begin, n, workspaces[cpu_thread_index()], fresh.data() + begin);
  });

  if (config_.contracted) {  // once per pass: the default grid never enters this loop
    parallel_for(queries, [&](int64_t i) {
      const Vec3 y = contracted_of_network_position(make_vec3(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]));
      fresh[i] *= config_.contract_engine_per_box * contract_radial_stretch(config_.contract_norm, y);
    }, 4096);
  }
  const OccupancyDecayBody decay_cell{config_.decay, values_.data()};
  parallel_ranges(static_cast<int64_t>(total), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) decay_cell(i);
  });
  // One query after another: several may raise the same cell (the GPU's raise is atomic).
  const OccupancyRaiseBody raise_cell{cells.data(), fresh.data(), res, config_.thickness_step, values_.data()};
  for (int64_t i = 0; i < queries; ++i) raise_cell(i);
  rebuild_bits(step);
}

void OccupancyGrid::rebuild_bits(int step) {
  const float* values = values_.data();
  const int64_t n = static_cast<int64_t>(values_.size());
  if (config_.contracted) {
    // The adaptive threshold's mean over the densities per box step (without the far
    // stretch), so the far field's long steps do not raise it for the foreground.
    const int res = config_.resolution;
    const size_t per_cascade = static_cast<size_t>(res) * res * res;
    const float box_half = 0.5f * static_cast<float>(1 << (config_.cascades - 1));
    mean_ = static_cast<float>(parallel_sum(n, [&](int64_t i) {
                                 const Vec3 p = occupancy_cell_position(static_cast<uint32_t>(i % per_cascade),
                                                                        static_cast<int>(i / per_cascade), res, 0.5f,
                                                                        0.5f, 0.5f);
                                 const Vec3 y = contracted_of_network_position(network_position(p, box_half));
                                 return occupancy_mean_term(values[i]) /
                                        contract_radial_stretch(config_.contract_norm, y);
                               }) /
                               static_cast<double>(n));
  } else {
    mean_ = static_cast<float>(parallel_sum(n, [&](int64_t i) { return occupancy_mean_term(values[i]); }) /
                               static_cast<double>(n));
  }
  const OccupancyBitsBody write_byte{values, n,
                                     occupancy_threshold_at(config_.threshold, mean_, step, config_.cull_from_step),
                                     bits_.data()};
  parallel_ranges(static_cast<int64_t>(bits_.size()), [&](int64_t begin, int64_t end) {
    for (int64_t byte = begin; byte < end; ++byte) write_byte(byte);
  });
  // The occupied cells, for the next update's sampling of occupied cells.
  occupied_cells_.clear();
  for (size_t byte = 0; byte < bits_.size(); ++byte)
    for (uint8_t b = bits_[byte]; b != 0; b &= static_cast<uint8_t>(b - 1))
      occupied_cells_.push_back(static_cast<uint32_t>(byte * 8 + __builtin_ctz(b)));
  occupied_ = occupied_cells_.size();
  // The coarse level: a block is occupied when any of its cells is.
  if (!coarse_bits_.empty()) {
    std::fill(coarse_bits_.begin(), coarse_bits_.end(), 0);
    const uint32_t res = static_cast<uint32_t>(config_.resolution);
    const uint32_t per_cascade = res * res * res;
    const uint32_t coarse_res = res >> kOccupancyCoarseShift;
    for (const uint32_t i : occupied_cells_) {
      const uint32_t cell = i % per_cascade;
      const uint32_t x = (cell % res) >> kOccupancyCoarseShift, y = ((cell / res) % res) >> kOccupancyCoarseShift,
                     z = (cell / (res * res)) >> kOccupancyCoarseShift;
      const size_t block = (i / per_cascade) * static_cast<size_t>(coarse_res) * coarse_res * coarse_res + x +
                           coarse_res * (y + static_cast<size_t>(coarse_res) * z);
      coarse_bits_[block >> 3] |= static_cast<uint8_t>(1u << (block & 7));
    }
  }
}

}  // namespace nerds
