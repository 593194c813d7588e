// Training samples of the march sampler, placed and evaluated in waves (Instant-NGP marches
// its rendering rays this way; here the training rays too): each wave marches a few more
// samples of every ray still alive, evaluates their density stage, and continues each ray's
// transmittance; a ray whose transmittance fell below min_transmittance, or whose march
// left the box or reached max_samples, takes no further wave. So the samples behind a ray's
// early termination are never evaluated (marching all of them first and evaluating them all
// wasted about 40% of the density work on lego). The samples a ray uses, their densities and
// activations are exactly those of marching the whole ray first: the march resumes where the
// last wave stopped (march_ray), the transmittance runs through the same composite_step in
// the same order, and the density stage of a sample does not depend on the batch it is in.
#pragma once

#include <memory>
#include <vector>

#include "renderer/techniques/samplers/ray_sampler.h"

namespace nerds {

// RaySampler::place_evaluated_training_samples for occupancy-grid marching.
int march_training_waves(const NerfNetwork& network, const OccupancyView& grid, const MarchSettings& ms,
                         const RayBatch& batch, float min_transmittance, NetworkWorkspace& ws,
                         std::unique_ptr<SamplerScratch>& scratch, SampleBuffer& out, int* begin, int* count,
                         std::vector<float>& sigma);

}  // namespace nerds
