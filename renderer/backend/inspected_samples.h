// The samples a render places on a few rays, as the ray inspector sees them (the run's sampler,
// no early termination: RaySampler::place_inspected_samples), gathered into one buffer and
// evaluated with the network's full forward pass, so that the heads' buffers (Ref-NeRF's
// normals and colours, NeRF-W's geometry features) hold every per-sample quantity. The
// per-pixel layers beyond colour (render_layers.h) and the rendered normals `nerds eval`
// measures (ray_normals.h) are composited from it. Slower than a render (one ray's samples are
// placed at a time and none is skipped): it runs only where such a layer is asked for.
#pragma once

#include <vector>

#include "renderer/backend/render_batch.h"

namespace nerds {

struct InspectedSamples {
  RenderScratch scratch;       // per-ray placement, and the network's workspace of the forward (scratch.ws)
  SampleBuffer samples;        // rays after one another
  std::vector<int> begin, count;
  std::vector<float> sigma, rgb;  // the forward's outputs (1 and 3 per sample)
};

// Rays [first, first + n) into s (replacing what it held).
void place_and_evaluate(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                        const Ray* rays, size_t first, int n, InspectedSamples& s);

}  // namespace nerds
