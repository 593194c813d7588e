// The per-pixel layers beyond colour, depth and opacity (RenderLayer, render_types.h): rendered
// on the CPU from the samples the inspector places (inspected_samples.h), only when asked, so
// the RGB render's path is untouched. The viewer's normals, Ref-NeRF diffuse/specular and
// NeRF-W static/transient/uncertainty modes read them.
#pragma once

#include <string>
#include <vector>

#include "renderer/backend/render_types.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/occupancy.h"
#include "renderer/techniques/fields/nerf_network.h"

namespace nerds {

// Empty when `network` has the layer; else why not, naming the parameter that gives it
// (e.g. "needs field.color = ref_nerf"). RenderLayer::None is always available.
std::string render_layer_unavailable(const NerfNetwork& network, RenderLayer layer);

// The layer of n rays, 3 floats each, into out (resized). normal_step: h of the density
// normals' central differences in the box's [0,1] units (field.ref_normal_step). Throws
// std::invalid_argument for a layer the network lacks or a request.image it has no code for.
void render_layer(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                  const Ray* rays, size_t n, const LayerRequest& request, float normal_step, std::vector<float>& out);

}  // namespace nerds
