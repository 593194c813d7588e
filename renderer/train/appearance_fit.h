// Fitting the appearance code of a view that is not a training image (NeRF-W, Martin-Brualla
// et al. 2021, Sec. 5: a test image's appearance embedding is optimized on its left half with
// the model frozen, and the metrics are taken on its right half). The model being frozen, a
// ray's samples, densities, geometry features and compositing weights do not depend on the
// code: they are computed once, and only the color MLP runs in the optimization's loop.
#pragma once

#include <cstdint>
#include <vector>

#include "renderer/backend/render_types.h"
#include "renderer/math/camera_ray.h"
#include "renderer/techniques/fields/nerf_network.h"
#include "renderer/techniques/samplers/occupancy_grid.h"

namespace nerds {

struct AppearanceFitOptions {
  int steps = 100;    // Adam steps on the code
  float lr = 2e-2f;   // Adam's learning rate
};

// The code (network.appearance().dim() numbers) that best renders `target` (RGB in [0, 1], 3
// per ray, over settings.background) along `rays`, by Adam on the mean squared error from
// `start` (empty: the training codes' mean). Samples as settings say (as a render does).
std::vector<float> fit_view_appearance(const NerfNetwork& network, const OccupancyView& grid,
                                       const RenderSettings& settings, const std::vector<Ray>& rays,
                                       const std::vector<float>& target, const AppearanceFitOptions& options,
                                       std::vector<float> start = {});

}  // namespace nerds
