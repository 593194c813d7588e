// What every sampler's rendering shares (render_rays.cpp hands each chunk of rays to the
// run's RaySampler): per-thread buffers, the rays as the samplers see them, the network on a
// buffer of samples, and writing a composited pixel.
#pragma once

#include <memory>
#include <vector>

#include "renderer/backend/render_types.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/compositing.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/techniques/samplers/ray_sampler.h"

namespace nerds {

// Per-thread buffers of a render, reused across chunks.
struct RenderScratch {
  NetworkWorkspace ws;
  InferenceWorkspace infer;  // the network's buffers where a sampler keeps no activations
  SampleBuffer samples;
  std::vector<float> sigma, rgb, mean, var;
  std::vector<int> begin, count, used_idx;
  std::vector<SamplingRay> rays;
  std::vector<Vec3> view_dirs;
  std::vector<float> radii;
  std::unique_ptr<SamplerScratch> sampler;  // the sampler's own (sampler_scratch<T>)
};

// The rays first..first+n as the samplers see them (sampling_ray.h), into s.rays, s.view_dirs
// and s.radii.
void prepare_rays(const RenderSettings& rs, const Ray* rays, size_t first, int n, RenderScratch& s);

// The network on a buffer of samples: positions, or for Mip-NeRF's IPE the Gaussians of
// their conical frustums (Eq. 7-8).
void evaluate_samples(const NerfNetwork& network, float box_half, const WarpSettings& warp, const SampleBuffer& samples,
                      std::vector<float>& mean, std::vector<float>& var, NetworkWorkspace& ws, float* sigma,
                      float* rgb);

// Pixel i of out from ray's composite (depth in engine units, engine_depth).
void write_pixel(const RenderSettings& rs, const SamplingRay& sray, const Ray& ray, const CompositeResult& c, size_t i,
                 RenderBuffers& out);

}  // namespace nerds
