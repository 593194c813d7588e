// Prefix sums and reductions over device arrays (CUB, part of the CUDA toolkit), with the
// temporary storage they need kept between calls.
#pragma once

#include <cub/device/device_reduce.cuh>
#include <cub/device/device_scan.cuh>

#include <algorithm>
#include <cstdint>

#include "cuda/buffer.h"
#include "cuda/cuda_check.h"

namespace nerds::cuda {

class DeviceScan {
 public:
  // out[i] = in[0] + ... + in[i-1]; returns the total (in[0] + ... + in[n-1]), read back to the host.
  int64_t exclusive_sum(const int* in, int* out, int n, cudaStream_t stream) {
    if (n <= 0) return 0;
    size_t bytes = 0;
    check(cub::DeviceScan::ExclusiveSum(nullptr, bytes, in, out, n, stream), "cub::DeviceScan::ExclusiveSum");
    temp_.resize(std::max(bytes, temp_.size()));
    check(cub::DeviceScan::ExclusiveSum(temp_.data(), bytes, in, out, n, stream), "cub::DeviceScan::ExclusiveSum");
    int last[2];
    check(cudaMemcpyAsync(&last[0], out + n - 1, sizeof(int), cudaMemcpyDeviceToHost, stream), "scan total");
    check(cudaMemcpyAsync(&last[1], in + n - 1, sizeof(int), cudaMemcpyDeviceToHost, stream), "scan total");
    check(cudaStreamSynchronize(stream), "scan total");
    return static_cast<int64_t>(last[0]) + last[1];
  }

  // The sum of n values, read back to the host.
  template <class T>
  T sum(const T* in, int64_t n, cudaStream_t stream) {
    if (n <= 0) return T(0);
    result_.resize(sizeof(T));
    T* d_out = reinterpret_cast<T*>(result_.data());
    size_t bytes = 0;
    check(cub::DeviceReduce::Sum(nullptr, bytes, in, d_out, n, stream), "cub::DeviceReduce::Sum");
    temp_.resize(std::max(bytes, temp_.size()));
    check(cub::DeviceReduce::Sum(temp_.data(), bytes, in, d_out, n, stream), "cub::DeviceReduce::Sum");
    T host{};
    check(cudaMemcpyAsync(&host, d_out, sizeof(T), cudaMemcpyDeviceToHost, stream), "reduce result");
    check(cudaStreamSynchronize(stream), "reduce result");
    return host;
  }

 private:
  DeviceBuffer<uint8_t> temp_, result_;
};

}  // namespace nerds::cuda
