// Error checking for the CUDA backend: every runtime call and every launch goes through
// these, so a failure names the call (or kernel) and the CUDA error instead of corrupting
// later results. Only included by .cu files and cuda/ sources.
#pragma once

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace nerds::cuda {

inline void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw std::runtime_error(std::string("CUDA: ") + what + ": " + cudaGetErrorName(status) + " (" +
                             cudaGetErrorString(status) + ")");
}

}  // namespace nerds::cuda

#define NERDS_CUDA_CHECK(call) ::nerds::cuda::check((call), #call)
