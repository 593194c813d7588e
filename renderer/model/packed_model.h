// The trained state as owned flat arrays (PackedModel): the named tensors with their Adam
// moments, and the occupancy grid's values. It is how the Trainer hands its host copy to a
// backend that keeps a model of its own (the CUDA backend) and takes it back. Plain C++ types
// only, so cuda/ reads it without Eigen.
#pragma once

#include <string>
#include <vector>

#include "renderer/model/param_tensor.h"

namespace nerds {

struct PackedTensor {
  ParamTensorInfo info;
  std::vector<float> values;  // info.size() floats, in the tensor's storage order
  AdamMoments adam;           // the same size and order, or empty where not asked for
};

struct PackedModel {
  std::vector<PackedTensor> tensors;  // the model's tensor list, in its order
  std::vector<float> occupancy;       // per cell: decayed optical thickness, <0 never seen
  // The tensor called `name`, or nullptr.
  const PackedTensor* find(const std::string& name) const {
    for (const PackedTensor& t : tensors)
      if (t.info.name == name) return &t;
    return nullptr;
  }
  PackedTensor* find(const std::string& name) {
    return const_cast<PackedTensor*>(static_cast<const PackedModel*>(this)->find(name));
  }
};

// A copy of the tensors' values, moments and the occupancy values.
PackedModel pack_model(const std::vector<ParamTensor>& tensors, const std::vector<AdamMoments>& moments,
                       const std::vector<float>& occupancy);
// The tensors' descriptions alone (no values), for a backend's download() to fill.
PackedModel describe_model(const std::vector<ParamTensor>& tensors);
// Writes `model` back: every tensor by name (each must be there, with its size), its moments,
// and the occupancy values (the same count). Throws std::logic_error on a mismatch: the
// backend's model is not this one.
void unpack_model(const PackedModel& model, const std::vector<ParamTensor>& tensors,
                  std::vector<AdamMoments>& moments, std::vector<float>& occupancy);

}  // namespace nerds
