// One way to run a per-item kernel body on the GPU: launch_items("name", n, body) runs
// body(i) for i in [0, n) and checks the launch, naming the kernel in the error. The body is
// a small functor whose operator() calls the host-device formulas of renderer/math, the same
// ones the CPU backend runs in its parallel_for.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "cuda/cuda_check.h"

namespace nerds::cuda {

template <class Body>
__global__ void items_kernel(int64_t n, Body body) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) body(i);
}

template <class Body>
void launch_items(const char* name, int64_t n, const Body& body, cudaStream_t stream = nullptr) {
  if (n <= 0) return;
  constexpr int kThreads = 128;
  const int64_t blocks = (n + kThreads - 1) / kThreads;
  items_kernel<<<static_cast<unsigned>(blocks), kThreads, 0, stream>>>(n, body);
  check(cudaGetLastError(), name);
}

// Waits for the device and reports an asynchronous failure with the given context.
inline void synchronize(const char* what) { check(cudaDeviceSynchronize(), what); }

}  // namespace nerds::cuda
