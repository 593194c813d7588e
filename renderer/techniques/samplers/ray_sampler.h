// Where the samples go along a ray, as one interface over the sampler kinds (sampler.kind;
// each kind in its own file beside this one, listed once in sampler_kinds.cpp). The CPU
// backend, the renderer and the trainer hold one and never ask which kind it is. A sampler
// works on a batch of rays at a time (a training chunk, a render chunk, the inspector's one
// ray), so its virtual calls are per batch; the per-sample formulas are renderer/math's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "renderer/backend/render_types.h"
#include "renderer/backend/sample_buffer.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/techniques/fields/nerf_network.h"

namespace nerds {

struct RenderScratch;  // renderer/backend/render_batch.h

// Which random numbers jitter the samples: per ray a stream keyed by (seed, step, ray index),
// so a training step places the same samples on any number of threads.
struct SamplerJitter {
  uint64_t seed = 0;
  int step = 0;
  int first_ray = 0;  // the index of the batch's ray 0 within the step
};

// A batch of rays as the samplers see them: in the box the samples are placed in
// (sampling_ray.h), the direction the color stage sees, the cone radius per unit distance,
// and the warp they were prepared with (a contracted ray's samples are placed differently).
struct RayBatch {
  const SamplingRay* rays = nullptr;
  const Vec3* view_dirs = nullptr;
  const float* radii = nullptr;
  const float* start_jitter = nullptr;  // per ray in [0, 1): the training ray's own jitter
  int n = 0;
  WarpSettings warp;
};

// A sampler's per-thread buffers, reused across batches; each kind derives its own.
struct SamplerScratch {
  virtual ~SamplerScratch() = default;
};

// The scratch of type T in `slot`, made there when it holds none (or another kind's).
template <class T>
T& sampler_scratch(std::unique_ptr<SamplerScratch>& slot) {
  T* s = dynamic_cast<T*>(slot.get());
  if (!s) {
    slot = std::make_unique<T>();
    s = static_cast<T*>(slot.get());
  }
  return *s;
}

// What a sampler whose placement is trained (the proposal sampler) keeps of one training
// chunk until the step's update: its networks' gradients. Each such kind derives its own.
struct SamplerGradients {
  virtual ~SamplerGradients() = default;
};

// Samples per ray, used (composited) and marched (evaluated, a coarse pass included).
struct SamplesPerRay {
  float used = 0.f, marched = 0.f;
};

class RaySampler {
 public:
  virtual ~RaySampler() = default;

  // Whether the samples depend on the occupancy grid: only then does training update it and
  // mark the cells no camera sees.
  virtual bool reads_occupancy_grid() const = 0;
  // The samples per ray a training run starts its running means at (they size the first
  // batches), when the sampler knows them ahead; none: the trainer's defaults.
  virtual std::optional<SamplesPerRay> initial_samples_per_ray() const { return std::nullopt; }

  // Training: appends the samples of the batch's rays to `out`, ray after ray (ray r's are
  // [begin[r], begin[r] + count[r])), jittered by `jitter`. Returns the samples evaluated
  // besides those (a forward-only coarse pass), for the step's marched count.
  virtual int place_training_samples(const NerfNetwork& network, const OccupancyView& grid,
                                     const MarchSettings& march, const RayBatch& rays, const SamplerJitter& jitter,
                                     NetworkWorkspace& ws, std::unique_ptr<SamplerScratch>& scratch,
                                     SampleBuffer& out, int* begin, int* count) const = 0;

  // Training with the density stage evaluated while placing, for samplers that march rays
  // front to back (the march sampler: in waves of a few samples per live ray, so the samples
  // behind a ray's early termination are never evaluated). Leaves what placing, the density
  // stage and keeping the used samples would: in `out` ray after ray (ray r's are
  // [begin[r], begin[r] + count[r])) only the samples before the ray's transmittance falls
  // below min_transmittance (composite_used_count), their densities in sigma and their density
  // stage in ws (columns 0..out.size(), NerfNetwork::density's layout). Returns the samples
  // evaluated; -1 (and does nothing) for a sampler that does not do this, which the caller
  // then runs through place_training_samples.
  virtual int place_evaluated_training_samples(const NerfNetwork&, const OccupancyView&, const MarchSettings&,
                                               const RayBatch&, const SamplerJitter&, float /*min_transmittance*/,
                                               NetworkWorkspace&, std::unique_ptr<SamplerScratch>&, SampleBuffer&,
                                               int* /*begin*/, int* /*count*/, std::vector<float>& /*sigma*/) const {
    return -1;
  }

  // Training, once per chunk after the radiance field's density of every sample that
  // place_training_samples placed (sigma in that order, begin/count as it left them, before
  // any compaction): a sampler whose placement is trained (the proposal sampler, by L_prop)
  // computes its loss on the chunk's rays, weighted and divided by rays_total (so the chunks'
  // sum is the step's mean over rays), and keeps its gradients in `grads` (made there when
  // empty) for the step's update. Returns that loss; the others return 0 and keep nothing.
  virtual double placement_loss(const NerfNetwork&, const RayBatch&, const SampleBuffer& /*samples*/,
                                const int* /*begin*/, const int* /*count*/, const float* /*sigma*/,
                                int /*rays_total*/, std::unique_ptr<SamplerScratch>&,
                                std::unique_ptr<SamplerGradients>& /*grads*/) const {
    return 0.0;
  }
  // That update cut into slices that write disjoint entries (as the encoding's backward); a
  // slice's tensor indexes `tensors`, the model's list. Empty for the other samplers.
  virtual std::vector<GradientSlice> placement_gradient_slices(const NerfNetwork&,
                                                               const std::vector<ParamTensor>& /*tensors*/) const {
    return {};
  }
  // Slice `slice`: sums what the chunks' gradients hold for it (in the chunks' order, so the
  // sum is deterministic) into `grad`, the whole gradient of the slice's tensor.
  virtual void placement_backward_slice(const NerfNetwork&, int /*slice*/, const SamplerGradients* const* /*chunks*/,
                                        int /*n_chunks*/, float* /*grad*/) const {}

  // Rendering: rays [first, first + n) into out (its rgb, depth, opacity and samples).
  virtual void render(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                      const Ray* rays, size_t first, int n, RenderBuffers& out, RenderScratch& s) const = 0;

  // The ray inspector: the samples of the one ray in s.rays[0] (prepared, hitting the box) as
  // a render places them, into s.samples, with the pass that placed each.
  virtual void place_inspected_samples(const NerfNetwork& network, const OccupancyView& grid,
                                       const RenderSettings& settings, RenderScratch& s,
                                       std::vector<SamplePass>& pass) const = 0;
};

}  // namespace nerds
