// Inference rendering on the CPU backend: the rays in chunks, each rendered by the run's
// sampler (settings.sampler.kind, ray_sampler.h; occupancy-grid marching renders in waves,
// march_sampler.cpp), and the ray inspector's samples of one ray.
#pragma once

#include <vector>

#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/backend/render_types.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/ray_march.h"

namespace nerds {

// Renders n rays into out (resized to n).
void render_rays(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                 const Ray* rays, size_t n, RenderBuffers& out);

std::vector<RaySample> inspect_ray(const NerfNetwork& network, const OccupancyView& grid,
                                   const RenderSettings& settings, const Ray& ray);

}  // namespace nerds
