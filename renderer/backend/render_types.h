// What a render asks for and what it returns, shared by the CPU and CUDA backends (plain
// types: the CUDA backend includes this header).
#pragma once

#include <vector>

#include "renderer/math/hierarchical_sampling.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/techniques/samplers/sampler_settings.h"

namespace nerds {

struct RenderSettings {
  MarchSettings march;
  SamplerSettings sampler;  // the sampler kind (sampler_kinds.h: marching, NeRF's hierarchical, ...)
  WarpSettings warp;        // the space rays are sampled in: the scene box, or NeRF's NDC mapped onto it
  float min_transmittance = 1e-4f;
  float background[3] = {1.f, 1.f, 1.f};
  // Mip-NeRF's cone radius per unit distance of the rendered pixels (pixel_cone_radius), for
  // the integrated encoding; 0: points.
  float pixel_radius = 0.f;
};

// A per-pixel output beyond colour, depth and opacity, rendered only when asked
// (renderer/backend/render_layers.h; the viewer's render modes). Each gives 3 floats per ray:
//   DensityNormals   sum_i w_i n_i normalized, n_i = -grad(tau)/|grad(tau)| (any model);
//   PredictedNormals the same of Ref-NeRF's predicted normals n'_i (field.color = ref_nerf);
//   Diffuse          sum_i w_i srgb(c_d,i) + T background (Ref-NeRF; tone-mapped alone);
//   Specular         sum_i w_i (c_i - srgb(c_d,i)): what the tinted specular adds after the
//                    tone map, so Diffuse + Specular is the ray's colour;
//   Static, Transient NeRF-W's two parts of Eq. 10 in a training image (LayerRequest::image):
//                    sum_k T_k alpha_k c_k + T_K background, and sum_k T_k alpha^tau_k c^tau_k
//                    + (1 - sum_k T_k alpha^tau_k) background (transient.enabled);
//   Uncertainty      NeRF-W's rendered beta (Eq. 11, beta_min included) in all 3 channels.
enum class RenderLayer : int { None, DensityNormals, PredictedNormals, Diffuse, Specular, Static, Transient, Uncertainty };
struct LayerRequest {
  RenderLayer layer = RenderLayer::None;
  int image = 0;  // the training image whose transient code the NeRF-W layers use
};

struct RenderBuffers {
  std::vector<float> rgb;      // 3 per ray, composited over the background
  std::vector<float> depth;    // expected termination distance (engine units; 0 where empty)
  std::vector<float> opacity;  // 1 - final transmittance
  std::vector<int> samples;    // samples evaluated per ray
  std::vector<float> layer;    // 3 per ray: the LayerRequest's layer; empty when none was asked
  void resize(size_t n) { rgb.assign(3 * n, 0.f); depth.assign(n, 0.f); opacity.assign(n, 0.f); samples.assign(n, 0); }
};

// Which pass placed a sample: the marcher, or the hierarchical sampler's coarse or fine pass.
enum class SamplePass : unsigned char { March = 0, Coarse = 1, Fine = 2 };

// Every sample along one ray with its quantities, for the ray inspector. t and dt are
// distances in the box the samples are placed in (with warp.kind = ndc: along the NDC ray,
// from the near plane; see sampling_ray.h).
struct RaySample {
  float t, dt, sigma, alpha, transmittance, weight;
  float rgb[3];
  SamplePass pass = SamplePass::March;
};

}  // namespace nerds
