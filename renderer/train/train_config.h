// Plain settings of one training run, filled from the method's parameters (see
// renderer/techniques/). Kept as a struct so the hot loops never look up a parameter by name.
#pragma once

#include <cstdint>
#include <string>

#include "renderer/math/coarse_to_fine.h"
#include "renderer/techniques/cameras/pose_refine_settings.h"
#include "renderer/techniques/fields/network_config.h"
#include "renderer/techniques/fields/ref_nerf_settings.h"
#include "renderer/techniques/samplers/occupancy_grid.h"
#include "renderer/math/hierarchical_sampling.h"
#include "renderer/math/losses.h"
#include "renderer/math/ray_march.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/techniques/samplers/sampler_settings.h"

namespace nerds {

enum class Background : int { Random = 0, White = 1, Black = 2 };

struct OptimizerConfig {
  float lr = 1e-2f;               // Instant-NGP, Sec. 4
  float beta1 = 0.9f, beta2 = 0.99f, eps = 1e-15f;
  float mlp_l2_reg = 1e-6f;       // weight decay on the MLP weights only
  int decay_start = 1200;          // steps before the learning rate starts to decay
  int decay_interval = 600;       // steps per decay_factor
  float decay_factor = 0.33f;     // lr *= factor^((step - start) / interval) after start
  float lr_min = 1e-3f;           // the decayed learning rate never goes below this
  // With a known training budget (steps or seconds) the rate follows the budget instead:
  // constant until `budget_decay_from` of it, then exponential down to `budget_lr_final`
  // at its end, so a 2-minute and a 10-minute run both end on a small rate.
  float budget_decay_from = 0.6f;
  float budget_lr_final = 1e-3f;
};

struct TrainConfig {
  NetworkConfig network;
  OccupancyConfig occupancy;
  MarchSettings march;
  SamplerSettings sampler;  // the sampler kind (sampler_kinds.h: marching, NeRF's hierarchical, ...)
  WarpSettings warp;        // the space rays are sampled in: the scene box, or NDC mapped onto it
  OptimizerConfig optimizer;
  int batch_samples = 1 << 15;    // target samples per step seen by the loss
  LossKind loss = LossKind::Huber;
  float huber_delta = 0.1f;
  Background background = Background::Random;  // training background for RGBA data
  float min_transmittance = 1e-4f;             // early ray termination
  // Mip-NeRF 360's distortion loss weight (loss.distortion_weight; 0 = off).
  float distortion_weight = 0.f;
  // Ref-NeRF's normal regularizers (field.ref_*; used with field.color = ref_nerf only).
  RefNerfLossWeights ref_nerf;
  // BARF (Lin et al. 2021): the coarse-to-fine schedule on the encoding (encoding.c2f*) and the
  // per-camera pose refinement (camera.pose_refine*); both off by default.
  CoarseToFineSettings c2f;
  PoseRefineSettings pose_refine;
  bool area_loss = false;  // Mip-NeRF's area loss: weigh each ray's loss (and gradient) by its image's lossmult
  uint64_t seed = 1337;
};

}  // namespace nerds
