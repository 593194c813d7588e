// cuda_device_info() for a build without the CUDA backend (NERDS_CUDA=OFF or no nvcc).
#include "cuda/cuda_backend.h"

namespace nerds {

CudaDeviceInfo cuda_device_info() {
  CudaDeviceInfo r;
  r.reason = "this build has no CUDA backend (configure with -DNERDS_CUDA=ON and a CUDA toolkit)";
  return r;
}

}  // namespace nerds
