// The occupancy grid on the GPU (Instant-NGP, Sec. 5.4 and App. E.2), the same update as
// renderer/techniques/samplers/occupancy_grid.cpp, launching the same per-item bodies
// (renderer/math/occupancy_update.h): decay every value, raise the queried cells to the
// density the network now predicts at a random point inside them, then threshold at
// min(threshold, mean). The cells to query: all of them during warm-up, then
// update_fraction of the cells at random plus as many occupied ones, drawn from the list of
// occupied cells that every rebuild compacts (occupancy_query, shared with the CPU grid).
#pragma once

#include <cstdint>
#include <vector>

#include "cuda/buffer.h"
#include "cuda/device_network.cuh"
#include "cuda/device_scan.cuh"
#include "renderer/techniques/samplers/occupancy_grid.h"

namespace nerds::cuda {

class DeviceOccupancy {
 public:
  DeviceOccupancy(const OccupancyConfig& config, DeviceScan& scan);

  OccupancyView view() const;
  size_t occupied_count() const { return occupied_; }

  void upload(const std::vector<float>& values, DeviceScan& scan);
  std::vector<float> download() const { return values_.download(); }

  // One update pass at training step `step`.
  void update(const DeviceNetwork& network, NetworkBatch& batch, int step, uint64_t seed, DeviceScan& scan,
              cudaStream_t stream);

 private:
  // `step`: the training step whose update this is (occupancy_threshold_at), or none.
  void rebuild_bits(DeviceScan& scan, cudaStream_t stream, int step = OccupancyGrid::kNoStep);

  OccupancyConfig config_;
  DeviceBuffer<float> values_, mean_terms_, query_pos_, query_sigma_;
  DeviceBuffer<uint32_t> query_cells_;
  DeviceBuffer<uint8_t> bits_;
  DeviceBuffer<int> byte_counts_, byte_offsets_;
  DeviceBuffer<uint32_t> occupied_list_;  // the occupied cells, ascending
  size_t occupied_ = 0;
};

}  // namespace nerds::cuda
