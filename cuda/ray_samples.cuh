// Rays to samples on the GPU, for training and rendering alike: each ray is marched twice
// through the occupancy grid (renderer/math/ray_march.h), once to count its samples and, after
// a prefix sum gives every ray its place, once to write them, so the samples of all rays lie
// packed and in ray order without atomics. After the density pass, each ray keeps the
// samples before early termination (composite_used_count), packed the same way.
#pragma once

#include <cstdint>

#include "cuda/buffer.h"
#include "cuda/device_scan.cuh"
#include "cuda/launch.h"
#include "renderer/math/compositing.h"
#include "renderer/math/ray_march.h"

namespace nerds::cuda {

// Per-ray and per-sample buffers of one batch of rays.
struct RaySamples {
  int n_rays = 0;
  int64_t marched = 0, used = 0;
  DeviceBuffer<float> rays;          // origin and direction, 6 per ray
  DeviceBuffer<float> t_begin, t_end;
  DeviceBuffer<int> count, offset, used_count, used_offset;
  DeviceBuffer<float> pos, dir, t, dt, sigma;  // every marched sample
  DeviceBuffer<float> used_pos, used_dir, used_t, used_dt;  // the used ones, packed

  void reserve_rays(int n) {
    if (static_cast<size_t>(n) * 6 > rays.size()) {
      rays.resize(static_cast<size_t>(n) * 6);
      t_begin.resize(n);
      t_end.resize(n);
      count.resize(n);
      offset.resize(n);
      used_count.resize(n);
      used_offset.resize(n);
    }
    n_rays = n;
  }
};

template <class T>
void reserve_at_least(DeviceBuffer<T>& b, size_t n) {
  if (b.size() < n) b.resize(n + n / 4);
}

// Where the march starts (march_start: offset per ray or fixed) and how many samples the ray
// gets.
struct MarchCountBody {
  MarchSettings march;
  OccupancyView grid;
  const float* rays;
  const float* start_offset;  // per ray (training jitter), or null: `fixed_offset`
  float fixed_offset;
  float *t_begin, *t_end;
  int* count;
  __device__ void operator()(int64_t r) const {
    const Vec3 o = make_vec3(rays[6 * r], rays[6 * r + 1], rays[6 * r + 2]);
    const Vec3 d = make_vec3(rays[6 * r + 3], rays[6 * r + 4], rays[6 * r + 5]);
    float t0, t1;
    if (!march_bounds(march, o, d, &t0, &t1)) {
      t_begin[r] = t_end[r] = 0.f;
      count[r] = 0;
      return;
    }
    float t = march_start(march, t0, start_offset ? start_offset[r] : fixed_offset);
    t_begin[r] = t;
    t_end[r] = t1;
    count[r] = march_ray(march, grid, o, d, &t, t1, march.max_samples, [](float, float, Vec3) {});
  }
};

struct MarchWriteBody {
  MarchSettings march;
  OccupancyView grid;
  const float *rays, *t_begin, *t_end;
  const int *offset, *count;
  float *pos, *dir, *t, *dt;
  __device__ void operator()(int64_t r) const {
    const Vec3 o = make_vec3(rays[6 * r], rays[6 * r + 1], rays[6 * r + 2]);
    const Vec3 d = make_vec3(rays[6 * r + 3], rays[6 * r + 4], rays[6 * r + 5]);
    float tt = t_begin[r];
    int64_t i = offset[r];
    // At most the counted samples: the ray's slot ends there.
    march_ray(march, grid, o, d, &tt, t_end[r], count[r], [&](float ts, float dts, Vec3 p) {
      const Vec3 q = network_position(p, march.box_half);
      pos[3 * i] = q.x;
      pos[3 * i + 1] = q.y;
      pos[3 * i + 2] = q.z;
      dir[3 * i] = d.x;
      dir[3 * i + 1] = d.y;
      dir[3 * i + 2] = d.z;
      t[i] = ts;
      dt[i] = dts;
      ++i;
    });
  }
};

struct UsedCountBody {
  const float *sigma, *dt;
  const int *offset, *count;
  float min_transmittance;
  int* used;
  __device__ void operator()(int64_t r) const {
    used[r] = composite_used_count(sigma + offset[r], dt + offset[r], count[r], min_transmittance);
  }
};

struct GatherUsedBody {
  const int *offset, *used_count, *used_offset;
  const float *pos, *dir, *t, *dt;
  float *out_pos, *out_dir, *out_t, *out_dt;
  __device__ void operator()(int64_t r) const {
    const int64_t from = offset[r], to = used_offset[r];
    for (int i = 0; i < used_count[r]; ++i) {
      for (int a = 0; a < 3; ++a) {
        out_pos[3 * (to + i) + a] = pos[3 * (from + i) + a];
        out_dir[3 * (to + i) + a] = dir[3 * (from + i) + a];
      }
      out_t[to + i] = t[from + i];
      out_dt[to + i] = dt[from + i];
    }
  }
};

// Marches b.n_rays rays (b.rays filled) and writes their samples; returns the total.
inline int64_t march_rays(const MarchSettings& march, const OccupancyView& grid, const float* start_offset,
                          float fixed_offset, RaySamples& b, DeviceScan& scan, cudaStream_t stream) {
  launch_items("march_count", b.n_rays,
               MarchCountBody{march, grid, b.rays.data(), start_offset, fixed_offset, b.t_begin.data(), b.t_end.data(),
                              b.count.data()},
               stream);
  b.marched = scan.exclusive_sum(b.count.data(), b.offset.data(), b.n_rays, stream);
  const size_t n = static_cast<size_t>(b.marched);
  reserve_at_least(b.pos, 3 * n);
  reserve_at_least(b.dir, 3 * n);
  reserve_at_least(b.t, n);
  reserve_at_least(b.dt, n);
  reserve_at_least(b.sigma, n);
  launch_items("march_write", b.n_rays,
               MarchWriteBody{march, grid, b.rays.data(), b.t_begin.data(), b.t_end.data(), b.offset.data(),
                              b.count.data(), b.pos.data(), b.dir.data(), b.t.data(), b.dt.data()},
               stream);
  return b.marched;
}

// After b.sigma holds every marched sample's density: packs the used samples; returns their count.
inline int64_t pack_used_samples(float min_transmittance, RaySamples& b, DeviceScan& scan, cudaStream_t stream) {
  launch_items("used_count", b.n_rays,
               UsedCountBody{b.sigma.data(), b.dt.data(), b.offset.data(), b.count.data(), min_transmittance,
                             b.used_count.data()},
               stream);
  b.used = scan.exclusive_sum(b.used_count.data(), b.used_offset.data(), b.n_rays, stream);
  const size_t n = static_cast<size_t>(b.used);
  reserve_at_least(b.used_pos, 3 * n);
  reserve_at_least(b.used_dir, 3 * n);
  reserve_at_least(b.used_t, n);
  reserve_at_least(b.used_dt, n);
  launch_items("gather_used", b.n_rays,
               GatherUsedBody{b.offset.data(), b.used_count.data(), b.used_offset.data(), b.pos.data(), b.dir.data(),
                              b.t.data(), b.dt.data(), b.used_pos.data(), b.used_dir.data(), b.used_t.data(),
                              b.used_dt.data()},
               stream);
  return b.used;
}

}  // namespace nerds::cuda
