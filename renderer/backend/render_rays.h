// Inference rendering on the CPU backend: rays are marched in waves (a few samples per live
// ray, evaluated together, composited, terminated rays dropped), as instant-ngp renders, so
// samples behind opaque surfaces are never evaluated.
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
