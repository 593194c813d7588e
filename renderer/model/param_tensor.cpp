#include "renderer/model/param_tensor.h"

namespace nerds {

const char* param_group_name(ParamGroup group) {
  return group == ParamGroup::Sparse ? "sparse" : group == ParamGroup::Rmsprop ? "rmsprop" : "dense";
}

bool param_group_from_name(const std::string& name, ParamGroup* group) {
  for (ParamGroup g : {ParamGroup::Sparse, ParamGroup::Dense, ParamGroup::Rmsprop})
    if (name == param_group_name(g)) {
      *group = g;
      return true;
    }
  return false;
}

ParamTensor param_tensor_view(std::string name, std::vector<int64_t> shape, std::vector<float>& values,
                              ParamGroup group, float lr_factor) {
  ParamTensor t;
  t.name = std::move(name);
  t.shape = std::move(shape);
  t.group = group;
  t.lr_factor = lr_factor;
  t.values = values.data();
  return t;
}

size_t first_moment_size(const ParamTensorInfo& tensor) {
  return tensor.group == ParamGroup::Rmsprop ? 0 : tensor.size();
}

std::vector<AdamMoments> zero_moments(const std::vector<ParamTensor>& tensors) {
  std::vector<AdamMoments> moments(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    moments[i].m.assign(first_moment_size(tensors[i]), 0.f);
    moments[i].v.assign(tensors[i].size(), 0.f);
  }
  return moments;
}

int find_tensor(const std::vector<ParamTensor>& tensors, const std::string& name) {
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].name == name) return static_cast<int>(i);
  return -1;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace nerds
