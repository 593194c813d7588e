// The model as the host keeps it: the radiance field (whose modules own the trained tensors'
// values), the occupancy grid, and the Adam moments of every tensor of param_tensors(), in
// its order. The CPU backend trains it in place; a backend with a model of its own exchanges
// it as a PackedModel (pack / unpack). A module with trained tensors of its own (a per-image
// embedding, ...) is a member here and appends its tensors in param_tensors().
#pragma once

#include <algorithm>
#include <vector>

#include "renderer/techniques/cameras/pose_refinement.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/techniques/samplers/occupancy_grid.h"
#include "renderer/model/packed_model.h"
#include "renderer/model/param_tensor.h"

namespace nerds {

struct HostModel {
  NerfNetwork network;
  OccupancyGrid occupancy;
  PoseRefinement pose_refine;        // BARF's per-camera corrections (none unless camera.pose_refine)
  std::vector<AdamMoments> moments;  // one per tensor of param_tensors()

  // Views of every trained tensor, in a fixed order.
  std::vector<ParamTensor> param_tensors() {
    std::vector<ParamTensor> out = network.param_tensors();
    for (const ParamTensor& t : pose_refine.param_tensors()) out.push_back(t);
    return out;
  }
  // Zero moments for every tensor whose size changed (an explicit grid resized by its
  // schedule or to a snapshot's shapes), the others kept.
  void fit_moments() {
    const std::vector<ParamTensor> tensors = param_tensors();
    moments.resize(tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i)
      if (moments[i].v.size() != tensors[i].size()) {
        moments[i].m.assign(first_moment_size(tensors[i]), 0.f);
        moments[i].v.assign(tensors[i].size(), 0.f);
      }
  }
  // Zero moments for every tensor of the network (a new optimizer over the radiance field:
  // TensoRF's code at each upsampling); the cameras' corrections keep theirs.
  void zero_network_moments() {
    const size_t n = network.param_tensors().size();
    for (size_t i = 0; i < n && i < moments.size(); ++i) {
      std::fill(moments[i].m.begin(), moments[i].m.end(), 0.f);
      std::fill(moments[i].v.begin(), moments[i].v.end(), 0.f);
    }
  }
  PackedModel pack() { return pack_model(param_tensors(), moments, occupancy.values()); }
  // Takes `model` over (see unpack_model) and rebuilds the occupancy grid's bits from it.
  void unpack(const PackedModel& model) {
    unpack_model(model, param_tensors(), moments, occupancy.values());
    occupancy.rebuild_bits();
  }
};

}  // namespace nerds
