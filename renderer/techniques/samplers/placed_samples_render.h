// Rendering for the samplers that place all of a ray's samples before the radiance field
// evaluates any (NeRF's hierarchical sampler, Mip-NeRF 360's proposal sampler): a few rays at
// a time, the density of every placed sample, then the color of those before early
// termination only, as the trainer does, and the compositing.
#pragma once

#include <cstddef>
#include <functional>

#include "renderer/backend/render_batch.h"
#include "renderer/backend/render_types.h"
#include "renderer/techniques/fields/nerf_network.h"

namespace nerds {

// Places the samples of s.rays[0..nb) into s.samples, s.begin and s.count (ray after ray);
// returns the samples evaluated per ray besides them (a coarse or proposal pass; 0: none).
using PlaceRenderSamples = std::function<int(int nb, RenderScratch& s)>;

// Rays [first, first + n) into out, in batches of about 8k samples at `per_ray` samples a ray.
void render_placed_samples(const NerfNetwork& network, const RenderSettings& rs, const Ray* rays, size_t first, int n,
                           int per_ray, RenderBuffers& out, RenderScratch& s, const PlaceRenderSamples& place);

}  // namespace nerds
