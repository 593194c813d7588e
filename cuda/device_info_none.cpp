// The CUDA backend's device query for a build without it (NERDS_CUDA=OFF or no nvcc); its
// factory's stub is training_backend_none.cpp.
#include "renderer/backend/device_info.h"

namespace nerds {

namespace {
constexpr const char* kNoCuda = "this build has no CUDA backend (configure with -DNERDS_CUDA=ON and a CUDA toolkit)";
}

CudaDeviceInfo cuda_device_info() {
  CudaDeviceInfo r;
  r.reason = kNoCuda;
  return r;
}

}  // namespace nerds
