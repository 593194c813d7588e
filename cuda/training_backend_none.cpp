// The CUDA backend's factory in a build without it (NERDS_CUDA=OFF or no nvcc).
#include <stdexcept>
#include <string>

#include "renderer/backend/training_backend.h"

namespace nerds {

namespace {
constexpr const char* kNoCudaBackend = "this build has no CUDA backend (configure with -DNERDS_CUDA=ON and a CUDA toolkit)";
}

std::string cuda_backend_supports(const TrainConfig&) { return kNoCudaBackend; }

std::unique_ptr<TrainingBackend> make_cuda_backend(const TrainConfig&, const Dataset&) {
  throw std::runtime_error(std::string("cuda: ") + kNoCudaBackend);
}

}  // namespace nerds
