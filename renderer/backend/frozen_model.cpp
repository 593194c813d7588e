#include "renderer/backend/frozen_model.h"

#include <algorithm>
#include <stdexcept>

#include "renderer/backend/render_layers.h"
#include "renderer/backend/render_rays.h"

namespace nerds {

void FrozenModel::copy_from(const std::vector<ParamTensor>& from, const OccupancyGrid& occupancy, int step) {
  const std::vector<ParamTensor> to = network_.param_tensors();
  // The network's tensors come first; the model's others (BARF's pose corrections) are not rendered.
  if (from.size() < to.size()) throw std::logic_error("FrozenModel::copy_from: another network configuration");
  for (size_t i = 0; i < to.size(); ++i) {
    if (from[i].name != to[i].name || from[i].size() != to[i].size())
      throw std::logic_error("FrozenModel::copy_from: tensor " + from[i].name + " differs");
    std::copy(from[i].values, from[i].values + from[i].size(), to[i].values);
  }
  occupancy_ = occupancy;  // vectors assigned in place: their storage is reused
  step_ = step;
}

void FrozenModel::render(const Ray* rays, size_t n, const RenderSettings& settings, RenderBuffers& out) const {
  render_rays(network_, occupancy_.view(), settings, rays, n, out);
}

void FrozenModel::render_layer(const Ray* rays, size_t n, const RenderSettings& settings, const LayerRequest& request,
                               float normal_step, std::vector<float>& out) const {
  nerds::render_layer(network_, occupancy_.view(), settings, rays, n, request, normal_step, out);
}

}  // namespace nerds
