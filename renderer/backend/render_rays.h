// Inference rendering on the CPU backend: rays are marched in waves (a few samples per live
// ray, evaluated together, composited, terminated rays dropped), as instant-ngp renders, so
// samples behind opaque surfaces are never evaluated.
#pragma once

#include <vector>

#include "renderer/backend/nerf_network.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/ray_march.h"

namespace nerds {

struct RenderSettings {
  MarchSettings march;
  float min_transmittance = 1e-4f;
  float background[3] = {1.f, 1.f, 1.f};
};

struct RenderBuffers {
  std::vector<float> rgb;      // 3 per ray, composited over the background
  std::vector<float> depth;    // expected termination distance (engine units; 0 where empty)
  std::vector<float> opacity;  // 1 - final transmittance
  std::vector<int> samples;    // samples evaluated per ray
  void resize(size_t n) { rgb.assign(3 * n, 0.f); depth.assign(n, 0.f); opacity.assign(n, 0.f); samples.assign(n, 0); }
};

// Renders n rays into out (resized to n).
void render_rays(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                 const Ray* rays, size_t n, RenderBuffers& out);

// Every sample along one ray with its quantities, for the ray inspector.
struct RaySample {
  float t, dt, sigma, alpha, transmittance, weight;
  float rgb[3];
};
std::vector<RaySample> inspect_ray(const NerfNetwork& network, const OccupancyView& grid,
                                   const RenderSettings& settings, const Ray& ray);

}  // namespace nerds
