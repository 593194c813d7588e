// The trained state as a list of named parameter tensors: each module that trains something
// (the encoding's feature table, the field's MLP layers, a per-image embedding as they come)
// lists its tensors, and snapshots, Adam, the CPU<->GPU transfer, the Python module and the
// viewer iterate that list instead of naming the modules. A ParamTensor is a view: the values
// stay in the module's own storage; the Adam moments are kept beside the list, one
// AdamMoments per tensor in the list's order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nerds {

// How Adam treats a tensor (renderer/train/optimizer.h):
//  Sparse: only entries with a non-zero gradient move, without weight decay: Instant-NGP's
//          hash table, whose entries most samples never touch (tiny-cuda-nn skips them).
//  Dense:  every entry moves, with the L2 weight decay (trainer.mlp_l2_reg): the MLPs.
//  Rmsprop: RMSProp instead of Adam (renderer/math/rmsprop.h), only where the gradient is
//          non-zero: Plenoxels' voxel grid, as its code optimises it.
enum class ParamGroup : int { Sparse = 0, Dense = 1, Rmsprop = 2 };

// "sparse", "dense" or "rmsprop".
const char* param_group_name(ParamGroup group);
// The group called `name`; false when there is none.
bool param_group_from_name(const std::string& name, ParamGroup* group);

// What a tensor is, apart from its values.
struct ParamTensorInfo {
  std::string name;             // "module.part", e.g. "encoding.grid", "field.density.0"
  std::vector<int64_t> shape;   // e.g. {entries, features}, {outputs, inputs}
  // Storage order of a 2-D tensor: false, row-major (the last index fastest); true,
  // column-major (Eigen's matrices: the first index fastest).
  bool column_major = false;
  ParamGroup group = ParamGroup::Dense;
  float lr_factor = 1.f;  // the tensor's learning rate is the schedule's times this
  size_t size() const {   // the product of the shape
    size_t n = 1;
    for (int64_t d : shape) n *= static_cast<size_t>(d);
    return n;
  }
};

// A trained tensor: its description and a view of the owning module's values (size() floats).
struct ParamTensor : ParamTensorInfo {
  float* values = nullptr;
  // A per-entry learning-rate scale (DVGO's view-count-based learning rate): entry i moves at
  // the tensor's rate times entry_lr[i / entry_lr_block]; null: none. The module owns it; it is
  // a training setting, not trained state (snapshots do not hold it). CPU backend only.
  const float* entry_lr = nullptr;
  int entry_lr_block = 1;
};

// A view of `values` as the tensor `name` of row-major `shape`, trained in `group` at
// `lr_factor` times the schedule's rate: how a module lists the tensors it keeps in vectors.
ParamTensor param_tensor_view(std::string name, std::vector<int64_t> shape, std::vector<float>& values,
                              ParamGroup group, float lr_factor);

// Adam's first and second moments of one tensor (Kingma & Ba 2015), size() floats each; an
// Rmsprop tensor keeps only v (RMSProp has no first moment), so its m is empty.
struct AdamMoments {
  std::vector<float> m, v;
};

// How many floats a tensor's first moment holds: size(), or 0 in the Rmsprop group.
size_t first_moment_size(const ParamTensorInfo& tensor);

// Zero moments for every tensor of `tensors`, in its order: the state of a fresh run.
std::vector<AdamMoments> zero_moments(const std::vector<ParamTensor>& tensors);

// The tensor called `name` in `tensors`, or -1.
int find_tensor(const std::vector<ParamTensor>& tensors, const std::string& name);

// "[16, 64]".
std::string shape_text(const std::vector<int64_t>& shape);

}  // namespace nerds
