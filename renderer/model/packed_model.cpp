#include "renderer/model/packed_model.h"

#include <algorithm>
#include <stdexcept>

namespace nerds {

PackedModel describe_model(const std::vector<ParamTensor>& tensors) {
  PackedModel p;
  for (const ParamTensor& t : tensors) p.tensors.push_back({static_cast<const ParamTensorInfo&>(t), {}, {}});
  return p;
}

PackedModel pack_model(const std::vector<ParamTensor>& tensors, const std::vector<AdamMoments>& moments,
                       const std::vector<float>& occupancy) {
  if (moments.size() != tensors.size()) throw std::logic_error("pack_model: one AdamMoments per tensor expected");
  PackedModel p = describe_model(tensors);
  for (size_t i = 0; i < tensors.size(); ++i) {
    p.tensors[i].values.assign(tensors[i].values, tensors[i].values + tensors[i].size());
    p.tensors[i].adam = moments[i];
  }
  p.occupancy = occupancy;
  return p;
}

void unpack_model(const PackedModel& model, const std::vector<ParamTensor>& tensors,
                  std::vector<AdamMoments>& moments, std::vector<float>& occupancy) {
  if (moments.size() != tensors.size()) throw std::logic_error("unpack_model: one AdamMoments per tensor expected");
  if (model.occupancy.size() != occupancy.size())
    throw std::logic_error("unpack_model: the occupancy grid's size differs from the model's");
  for (size_t i = 0; i < tensors.size(); ++i) {
    const ParamTensor& t = tensors[i];
    const PackedTensor* p = model.find(t.name);
    const size_t n = t.size();
    if (!p || p->values.size() != n || p->adam.m.size() != first_moment_size(t) || p->adam.v.size() != n)
      throw std::logic_error("unpack_model: tensor '" + t.name + "' is missing or of another size");
    std::copy(p->values.begin(), p->values.end(), t.values);
    moments[i] = p->adam;
  }
  occupancy = model.occupancy;
}

}  // namespace nerds
