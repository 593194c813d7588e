// The CUDA backend's entry points for a build without it (NERDS_CUDA=OFF or no nvcc).
#include <stdexcept>

#include "renderer/backend/device_info.h"
#include "renderer/train/device_trainer.h"

namespace nerds {

namespace {
constexpr const char* kNoCuda = "this build has no CUDA backend (configure with -DNERDS_CUDA=ON and a CUDA toolkit)";
}

CudaDeviceInfo cuda_device_info() {
  CudaDeviceInfo r;
  r.reason = kNoCuda;
  return r;
}

std::unique_ptr<DeviceTrainer> make_cuda_trainer(const TrainConfig&, const HashGridView&, const Dataset&) {
  throw std::runtime_error(std::string("cuda: ") + kNoCuda);
}

}  // namespace nerds
