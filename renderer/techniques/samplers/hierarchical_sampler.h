// sampler.kind = hierarchical: NeRF's hierarchical sampling on the CPU backend (Mildenhall et
// al. 2020, Sec. 5.2; the per-ray formulas are renderer/math/hierarchical_sampling.h): for a
// batch of rays, N_c
// stratified coarse samples each, one forward-only density pass over all of them, the
// weights' PDF, N_f fine samples each, and the sorted union written to a SampleBuffer for the
// usual density -> compaction -> color -> compositing pipeline. The occupancy grid is not
// read (NeRF has none).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/math/hierarchical_sampling.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/techniques/core/module_probe.h"
#include "renderer/techniques/samplers/ray_sampler.h"
#include "renderer/techniques/samplers/sampler_settings.h"
#include "renderer/train/train_config.h"

namespace nerds {

// Per-thread buffers, reused across calls.
struct HierarchicalScratch : SamplerScratch {
  SampleBuffer coarse;
  std::vector<float> sigma, mean, var, edges, weights, fine, merged, u, jitter;
  std::vector<unsigned char> is_fine;
  std::vector<int> coarse_begin;
};

// Places the samples of n rays (rays[r] in the box, view_dirs[r] the direction the color
// stage sees, radii[r] the cone radius per unit distance) and appends them to `out`, ray after
// ray: ray r's are [begin[r], begin[r] + count[r]). jitter null: deterministic (rendering,
// each stratum's center). is_fine (may be null) gets one flag per appended sample: 1 for a
// fine-pass sample. Returns the number of coarse samples whose density was evaluated.
int place_hierarchical_samples(const NerfNetwork& network, const SamplerSettings& settings, float box_half,
                               const SamplingRay* rays, const Vec3* view_dirs, const float* radii, int n,
                               const SamplerJitter* jitter, NetworkWorkspace& ws, HierarchicalScratch& scratch,
                               SampleBuffer& out, int* begin, int* count,
                               std::vector<unsigned char>* is_fine = nullptr);

// The jitter of batch ray `ray`'s samples: `count` numbers in [0, 1) from its own stream,
// keyed by (seed, step, the ray's index in the step), so a step places the same samples on
// any number of threads (the hierarchical and the proposal sampler draw from it).
void fill_jitter(const SamplerJitter& jitter, int ray, int count, float* out);

// The density of every sample of a buffer (forward only; the activations stay in ws): at its
// position, or for Mip-NeRF's IPE over its conical frustum (frustum_gaussians).
void sample_densities(const NerfNetwork& network, float box_half, const WarpSettings& warp, const SampleBuffer& samples, NetworkWorkspace& ws,
                      std::vector<float>& mean, std::vector<float>& var, float* sigma);

// Probe inputs of a resampling step (the hierarchical and the proposal sampler's probes): n
// rows of [t0, t1, then `bins` weights, a surface-like bump at a random place over a little
// noise], drawn with `seed`.
std::vector<float> ray_span_and_weights_examples(int n, int bins, uint64_t seed);

// The hierarchical sampler for settings (sampler.kind = hierarchical; with fine_samples = 0,
// stratified sampling alone, as sampler.kind = stratified configures it), and its probes.
std::unique_ptr<RaySampler> make_hierarchical_sampler(const SamplerSettings& settings);
ModuleProbes hierarchical_sampler_probes(const TrainConfig& config);

}  // namespace nerds
