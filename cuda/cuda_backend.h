// What the rest of the program may know about the CUDA backend: plain C++ only (no CUDA
// types), so renderer/ and the CLI include it without the CUDA toolkit's headers. With
// NERDS_CUDA off, cuda_device_info() still exists and says the build has no CUDA backend.
#pragma once

#include <string>

namespace nerds {

struct CudaDeviceInfo {
  bool available = false;  // a usable device was found
  std::string name;        // e.g. "NVIDIA H200"
  int compute_capability = 0;  // 90 for sm_90
  std::string reason;      // why not available: no CUDA backend compiled, no driver, no device
};

// Never throws; cheap to call repeatedly (the query is made once).
CudaDeviceInfo cuda_device_info();

}  // namespace nerds
