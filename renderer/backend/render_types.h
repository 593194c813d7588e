// What a render asks for and what it returns, shared by the CPU and CUDA backends (plain
// types: the CUDA backend includes this header).
#pragma once

#include <vector>

#include "renderer/math/ray_march.h"

namespace nerds {

struct RenderSettings {
  MarchSettings march;
  float min_transmittance = 1e-4f;
  float background[3] = {1.f, 1.f, 1.f};
  // Mip-NeRF's cone radius per unit distance of the rendered pixels (pixel_cone_radius), for
  // the integrated encoding; 0: points.
  float pixel_radius = 0.f;
};

struct RenderBuffers {
  std::vector<float> rgb;      // 3 per ray, composited over the background
  std::vector<float> depth;    // expected termination distance (engine units; 0 where empty)
  std::vector<float> opacity;  // 1 - final transmittance
  std::vector<int> samples;    // samples evaluated per ray
  void resize(size_t n) { rgb.assign(3 * n, 0.f); depth.assign(n, 0.f); opacity.assign(n, 0.f); samples.assign(n, 0); }
};

// Every sample along one ray with its quantities, for the ray inspector.
struct RaySample {
  float t, dt, sigma, alpha, transmittance, weight;
  float rgb[3];
};

}  // namespace nerds
