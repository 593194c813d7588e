#include "cuda/device_occupancy.cuh"

#include <algorithm>

#include "cuda/launch.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/ray_march.h"

namespace nerds::cuda {

namespace {

constexpr int64_t kQueryChunk = 1 << 20;  // density queries per network call

struct QueryCellsBody {
  bool all_cells;
  int64_t half;
  uint32_t total;
  const uint32_t* occupied;
  uint32_t n_occupied;
  int resolution, cascades;
  uint64_t seed;
  int step;
  uint32_t* cells;
  float* pos;
  __device__ void operator()(int64_t i) const {
    const OccupancyQuery q = occupancy_query(i, all_cells, half, total, occupied, n_occupied, resolution, seed, step);
    // The scene box is the coarsest cascade's.
    const Vec3 p = network_position(q.point, 0.5f * static_cast<float>(1 << (cascades - 1)));
    cells[i] = q.cell;
    pos[3 * i] = p.x;
    pos[3 * i + 1] = p.y;
    pos[3 * i + 2] = p.z;
  }
};

struct DecayBody {
  float decay;
  float* values;
  __device__ void operator()(int64_t i) const {
    if (values[i] >= 0.f) values[i] *= decay;
  }
};

struct RaiseBody {
  const uint32_t* cells;
  const float* sigma;
  int resolution;
  float dt_min;
  float* values;
  __device__ void operator()(int64_t i) const {
    const uint32_t cell = cells[i];
    if (values[cell] < 0.f) return;  // never seen by a training camera
    const uint32_t per_cascade = static_cast<uint32_t>(resolution) * resolution * resolution;
    if (occupancy_covered_by_finer_cascade(cell % per_cascade, static_cast<int>(cell / per_cascade), resolution)) return;
    // Both values are >= 0, and non-negative floats order like their bit patterns.
    atomicMax(reinterpret_cast<int*>(values + cell), __float_as_int(sigma[i] * dt_min));
  }
};

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

struct ClampBody {
  const float* values;
  float* out;
  __device__ void operator()(int64_t i) const { out[i] = values[i] > 0.f ? values[i] : 0.f; }
};

struct BitsBody {
  const float* values;
  int64_t n;
  float threshold;
  bool fresh;  // before the first update every seen cell counts as occupied
  uint8_t* bits;
  int* counts;
  __device__ void operator()(int64_t byte) const {
    uint8_t b = 0;
    for (int k = 0; k < 8 && byte * 8 + k < n; ++k) {
      const float v = values[byte * 8 + k];
      if (fresh ? v >= 0.f : v > threshold) b |= static_cast<uint8_t>(1u << k);
    }
    bits[byte] = b;
    counts[byte] = __popc(b);
  }
};

}  // namespace

DeviceOccupancy::DeviceOccupancy(const OccupancyConfig& config, float dt_min, DeviceScan& scan)
    : config_(config), dt_min_(dt_min) {
  const size_t n = static_cast<size_t>(config.resolution) * config.resolution * config.resolution * config.cascades;
  values_.resize(n);
  values_.zero();
  clamped_.resize(n);
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

void DeviceOccupancy::rebuild_bits(DeviceScan& scan, cudaStream_t stream) {
  const int64_t n = static_cast<int64_t>(values_.size());
  launch_items("occupancy_clamp", n, ClampBody{values_.data(), clamped_.data()}, stream);
  const float mean = scan.sum(clamped_.data(), n, stream) / static_cast<float>(n);
  const float threshold = std::min(config_.threshold, mean);
  launch_items("occupancy_bits", static_cast<int64_t>(bits_.size()),
               BitsBody{values_.data(), n, threshold, mean == 0.f, bits_.data(), byte_counts_.data()}, stream);
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
               QueryCellsBody{all, half, static_cast<uint32_t>(total), occupied_list_.data(),
                              static_cast<uint32_t>(occupied_), config_.resolution, config_.cascades, seed, step,
                              query_cells_.data(), query_pos_.data()},
               stream);
  for (int64_t begin = 0; begin < queries; begin += kQueryChunk) {
    const int64_t n = std::min(kQueryChunk, queries - begin);
    network.density(query_pos_.data() + 3 * begin, n, batch, query_sigma_.data() + begin, stream);
  }
  launch_items("occupancy_decay", total, DecayBody{config_.decay, values_.data()}, stream);
  launch_items("occupancy_raise", queries,
               RaiseBody{query_cells_.data(), query_sigma_.data(), config_.resolution, dt_min_, values_.data()}, stream);
  rebuild_bits(scan, stream);
}

}  // namespace nerds::cuda
