#include <cuda_runtime.h>

#include <string>

#include "renderer/backend/device_info.h"

namespace nerds {

CudaDeviceInfo cuda_device_info() {
  static const CudaDeviceInfo info = [] {
    CudaDeviceInfo r;
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      // cudaErrorInsufficientDriver / cudaErrorNoDevice on machines without a GPU.
      r.reason = std::string("no usable CUDA device: ") + cudaGetErrorName(status);
      cudaGetLastError();  // clear the sticky error so later calls start clean
      return r;
    }
    if (count == 0) {
      r.reason = "no CUDA device";
      return r;
    }
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) {
      r.reason = "cudaGetDeviceProperties failed";
      return r;
    }
    r.name = prop.name;
    r.compute_capability = prop.major * 10 + prop.minor;
    if (r.compute_capability < 75) {  // the build has kernels for sm_75 and later only
      r.reason = r.name + ": compute capability " + std::to_string(r.compute_capability) +
                 " is older than 7.5, for which no kernels are built";
      return r;
    }
    r.available = true;
    return r;
  }();
  return info;
}

}  // namespace nerds
