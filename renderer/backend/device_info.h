// Whether a CUDA device can run the engine. Declared here, defined at link time: by
// cuda/device_info.cu in a build with the CUDA backend, by cuda/device_info_none.cpp without
// it (then it says the build has none). Plain C++ only, so nothing here needs CUDA headers.
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
