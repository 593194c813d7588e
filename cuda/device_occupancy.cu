#include "cuda/device_occupancy.cuh"

#include <algorithm>

#include "cuda/launch.h"
#include "renderer/math/occupancy_update.h"

namespace nerds::cuda {

namespace {

constexpr int64_t kQueryChunk = 1 << 20;  // density queries per network call

// The set bits' cell indices, ascending (the CPU grid's occupied_cells_).
struct OccupiedListBody {
  const uint8_t* bits;
  const int* offset;  // exclusive prefix sum of the bytes' bit counts
  uint32_t* list;
  __device__ void operator()(int64_t byte) const {
    int o = offset[byte];
    for (int k = 0; k < 8; ++k)
      if ((bits[byte] >> k) & 1) list[o++] = static_cast<uint32_t>(byte * 8 + k);
  }
};

}  // namespace

DeviceOccupancy::DeviceOccupancy(const OccupancyConfig& config, DeviceScan& scan)
    : config_(config) {
  const size_t n = static_cast<size_t>(config.resolution) * config.resolution * config.resolution * config.cascades;
  values_.resize(n);
  values_.zero();
  mean_terms_.resize(n);
  bits_.resize((n + 7) / 8);
  byte_counts_.resize(bits_.size());
  byte_offsets_.resize(bits_.size());
  occupied_list_.resize(n);
  rebuild_bits(scan, nullptr);  // values 0: every cell occupied, as a fresh CPU grid
}

OccupancyView DeviceOccupancy::view() const {
  OccupancyView v;
  v.bits = bits_.data();
  v.resolution = config_.resolution;
  v.cascades = config_.cascades;
  return v;
}

void DeviceOccupancy::upload(const std::vector<float>& values, DeviceScan& scan) {
  if (values.size() != values_.size()) throw std::invalid_argument("cuda backend: occupancy grid size differs");
  values_.upload(values);
  rebuild_bits(scan, nullptr);
}

void DeviceOccupancy::rebuild_bits(DeviceScan& scan, cudaStream_t stream, int step) {
  const int64_t n = static_cast<int64_t>(values_.size());
  launch_items("occupancy_mean_terms", n, OccupancyMeanTermBody{values_.data(), mean_terms_.data()}, stream);
  const float mean = scan.sum(mean_terms_.data(), n, stream) / static_cast<float>(n);
  launch_items("occupancy_bits", static_cast<int64_t>(bits_.size()),
               OccupancyBitsBody{values_.data(), n,
                                 occupancy_threshold_at(config_.threshold, mean, step, config_.cull_from_step), bits_.data(),
                                 byte_counts_.data()},
               stream);
  const int n_bytes = static_cast<int>(bits_.size());
  occupied_ = static_cast<size_t>(scan.exclusive_sum(byte_counts_.data(), byte_offsets_.data(), n_bytes, stream));
  launch_items("occupancy_list", n_bytes, OccupiedListBody{bits_.data(), byte_offsets_.data(), occupied_list_.data()},
               stream);
}

void DeviceOccupancy::update(const DeviceNetwork& network, NetworkBatch& batch, int step, uint64_t seed,
                             DeviceScan& scan, cudaStream_t stream) {
  const int64_t total = static_cast<int64_t>(values_.size());
  const bool all = step < config_.warmup_steps;
  const int64_t half = static_cast<int64_t>(static_cast<double>(total) * config_.update_fraction);
  const int64_t queries = all ? total : 2 * half;
  if (query_cells_.size() < static_cast<size_t>(queries)) {
    query_cells_.resize(queries);
    query_pos_.resize(3 * queries);
    query_sigma_.resize(queries);
  }
  launch_items("occupancy_query_cells", queries,
               OccupancyQueryBody{all, half, static_cast<uint32_t>(total), occupied_list_.data(),
                                  static_cast<uint32_t>(occupied_), config_.resolution, config_.cascades, seed, step,
                                  query_cells_.data(), query_pos_.data()},
               stream);
  for (int64_t begin = 0; begin < queries; begin += kQueryChunk) {
    const int64_t n = std::min(kQueryChunk, queries - begin);
    network.density(query_pos_.data() + 3 * begin, n, batch, query_sigma_.data() + begin, stream);
  }
  launch_items("occupancy_decay", total, OccupancyDecayBody{config_.decay, values_.data()}, stream);
  launch_items("occupancy_raise", queries,
               OccupancyRaiseBody{query_cells_.data(), query_sigma_.data(), config_.resolution, config_.thickness_step, values_.data()},
               stream);
  rebuild_bits(scan, stream, step);
}

}  // namespace nerds::cuda
