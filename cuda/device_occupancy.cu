#include "cuda/device_occupancy.cuh"

#include <algorithm>

#include "cuda/launch.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/rng.h"

namespace nerds::cuda {

namespace {

constexpr int64_t kQueryChunk = 1 << 20;  // density queries per network call

struct QueryCellsBody {
  bool all_cells;
  int64_t half;  // after warm-up: [0, half) uniform cells, [half, 2 half) occupied ones
  uint32_t total;
  int resolution, cascades;
  uint64_t seed;
  int step;
  const float* values;
  float threshold;
  uint32_t* cells;
  float* pos;
  __device__ void operator()(int64_t i) const {
    Pcg32 rng(seed ^ 0x0cc0, (static_cast<uint64_t>(static_cast<uint32_t>(step)) << 32) | static_cast<uint32_t>(i));
    uint32_t cell;
    if (all_cells) {
      cell = static_cast<uint32_t>(i);
    } else {
      cell = rng.next_uint() % total;
      if (i >= half)
        for (int tries = 0; tries < 16 && !(values[cell] > threshold); ++tries) cell = rng.next_uint() % total;
    }
    const uint32_t per_cascade = static_cast<uint32_t>(resolution) * resolution * resolution;
    const int c = static_cast<int>(cell / per_cascade);
    const float jx = rng.next_float(), jy = rng.next_float(), jz = rng.next_float();
    const Vec3 p = occupancy_cell_position(cell % per_cascade, c, resolution, jx, jy, jz);
    // The scene box is the coarsest cascade's.
    const Vec3 q = network_position(p, 0.5f * static_cast<float>(1 << (cascades - 1)));
    cells[i] = cell;
    pos[3 * i] = q.x;
    pos[3 * i + 1] = q.y;
    pos[3 * i + 2] = q.z;
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

DeviceOccupancy::DeviceOccupancy(const OccupancyConfig& config, float dt_min) : config_(config), dt_min_(dt_min) {
  const size_t n = static_cast<size_t>(config.resolution) * config.resolution * config.resolution * config.cascades;
  values_.resize(n);
  values_.zero();
  clamped_.resize(n);
  bits_.resize((n + 7) / 8);
  byte_counts_.resize(bits_.size());
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
  threshold_now_ = std::min(config_.threshold, mean);
  launch_items("occupancy_bits", static_cast<int64_t>(bits_.size()),
               BitsBody{values_.data(), n, threshold_now_, mean == 0.f, bits_.data(), byte_counts_.data()}, stream);
  occupied_ = static_cast<size_t>(scan.sum(byte_counts_.data(), static_cast<int64_t>(byte_counts_.size()), stream));
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
               QueryCellsBody{all, half, static_cast<uint32_t>(total), config_.resolution, config_.cascades, seed, step,
                              values_.data(), threshold_now_, query_cells_.data(), query_pos_.data()},
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
