#include "renderer/backend/occupancy_grid.h"

#include <algorithm>
#include <cmath>

#include "renderer/backend/nerf_network.h"
#include "renderer/backend/parallel.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/rng.h"

namespace nerds {

OccupancyGrid::OccupancyGrid(const OccupancyConfig& config, float dt_min) : config_(config), dt_min_(dt_min) {
  const size_t per_cascade = static_cast<size_t>(config.resolution) * config.resolution * config.resolution;
  values_.assign(per_cascade * config.cascades, 0.f);
  // Everything starts occupied so the first steps see the whole box.
  bits_.assign((values_.size() + 7) / 8, 0xff);
  occupied_ = values_.size();
}

OccupancyView OccupancyGrid::view() const {
  OccupancyView v;
  v.bits = bits_.data();
  v.resolution = config_.resolution;
  v.cascades = config_.cascades;
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

void OccupancyGrid::update(const NerfNetwork& network, int step, uint64_t seed) {
  const int res = config_.resolution;
  const size_t per_cascade = static_cast<size_t>(res) * res * res;
  const size_t total = values_.size();
  // Which cells to query this pass, and where: the shared formula, one query per item.
  const bool all_cells = step < config_.warmup_steps;
  const int64_t half = static_cast<int64_t>(static_cast<double>(total) * config_.update_fraction);
  const int64_t queries = all_cells ? static_cast<int64_t>(total) : 2 * half;
  std::vector<uint32_t> cells(queries);
  std::vector<float> pos(3 * static_cast<size_t>(queries));
  // The scene box is the coarsest cascade's.
  const float box_half = 0.5f * static_cast<float>(1 << (config_.cascades - 1));
  parallel_for(queries, [&](int64_t i) {
    const OccupancyQuery q = occupancy_query(i, all_cells, half, static_cast<uint32_t>(total), occupied_cells_.data(),
                                             static_cast<uint32_t>(occupied_cells_.size()), res, seed, step);
    cells[i] = q.cell;
    const Vec3 p = network_position(q.point, box_half);
    pos[3 * i + 0] = p.x;
    pos[3 * i + 1] = p.y;
    pos[3 * i + 2] = p.z;
  }, 4096);

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

  float* values = values_.data();
  const float decay = config_.decay;
  parallel_ranges(static_cast<int64_t>(total), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      if (values[i] >= 0.f) values[i] *= decay;
  });
  for (size_t i = 0; i < cells.size(); ++i) {
    const uint32_t cell = cells[i];
    if (values_[cell] < 0.f) continue;  // never seen by a training camera
    const int c = static_cast<int>(cell / per_cascade);
    if (occupancy_covered_by_finer_cascade(static_cast<uint32_t>(cell % per_cascade), c, res)) continue;
    values_[cell] = std::max(values_[cell], fresh[i] * dt_min_);
  }
  rebuild_bits();
}

void OccupancyGrid::rebuild_bits() {
  const float* values = values_.data();
  const int64_t n = static_cast<int64_t>(values_.size());
  mean_ = static_cast<float>(parallel_sum(n, [&](int64_t i) { return std::max(values[i], 0.f); }) /
                             static_cast<double>(n));
  const float thresh = std::min(config_.threshold, mean_);
  // Before the first update (every value 0) each cell a camera sees counts as occupied, so
  // the first steps and renders see the whole box.
  const bool fresh = mean_ == 0.f;
  uint8_t* bits = bits_.data();
  parallel_ranges(static_cast<int64_t>(bits_.size()), [&](int64_t begin, int64_t end) {
    for (int64_t byte = begin; byte < end; ++byte) {
      uint8_t b = 0;
      for (int k = 0; k < 8 && byte * 8 + k < n; ++k) {
        const float v = values[byte * 8 + k];
        if (fresh ? v >= 0.f : v > thresh) b |= static_cast<uint8_t>(1u << k);
      }
      bits[byte] = b;
    }
  });
  // The occupied cells, for the next update's sampling of occupied cells.
  occupied_cells_.clear();
  for (size_t byte = 0; byte < bits_.size(); ++byte)
    for (uint8_t b = bits[byte]; b != 0; b &= static_cast<uint8_t>(b - 1))
      occupied_cells_.push_back(static_cast<uint32_t>(byte * 8 + __builtin_ctz(b)));
  occupied_ = occupied_cells_.size();
}

}  // namespace nerds
