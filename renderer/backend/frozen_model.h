// A copy of the model's state for rendering while training changes the model: the network's
// trained tensors' values (not their Adam moments) and the occupancy grid, taken at one step.
// An image rendered in several calls from it (the viewer's progressive bands, with training
// steps between them) shows one model state, never bands of different ones. It renders on the
// CPU whatever backend trains the model, with the same code as the CPU backend's renders.
#pragma once

#include <cstddef>
#include <vector>

#include "renderer/backend/render_types.h"
#include "renderer/math/camera_ray.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/techniques/samplers/occupancy_grid.h"

namespace nerds {

class FrozenModel {
 public:
  // Storage for a network of this configuration (the values come with copy_from).
  explicit FrozenModel(const NetworkConfig& config) : network_(config) {}

  // Copies the values of `tensors` (the model's trained tensors: NerfNetwork::param_tensors()
  // of the same configuration first, then any the renders do not read, as BARF's pose corrections) and the occupancy grid, reusing this copy's storage; `step` is
  // the training step they belong to. Throws std::logic_error when the tensor lists differ.
  void copy_from(const std::vector<ParamTensor>& tensors, const OccupancyGrid& occupancy, int step);
  // The appearance code renders use (NerfNetwork::set_view_appearance; not a trained tensor).
  void set_view_appearance(std::vector<float> code) { network_.set_view_appearance(std::move(code)); }
  // The step of the copied state; -1 before the first copy.
  int step() const { return step_; }
  // Renders n rays of the copied state into out (resized to n), as the CPU backend renders.
  void render(const Ray* rays, size_t n, const RenderSettings& settings, RenderBuffers& out) const;
  // A layer of n rays of the copied state (render_layers.h) into out.
  void render_layer(const Ray* rays, size_t n, const RenderSettings& settings, const LayerRequest& request,
                    float normal_step, std::vector<float>& out) const;

 private:
  NerfNetwork network_;
  OccupancyGrid occupancy_;
  int step_ = -1;
};

}  // namespace nerds
