// DVGO's settings (Sun, Sun, Chen, CVPR 2022, "Direct Voxel Grid Optimization";
// encoding.kind = dvgo, encoding.dvgo_*), plain C++ so that network_config.h (which the CUDA
// backend reads) can hold them. Defaults: the official code's configs/default.py.
#pragma once

#include <vector>

namespace nerds {

// Where the density activation sits relative to the trilinear interpolation (Sec. 4.1,
// Fig. 3/4): post, interpolate the raw density then activate (the paper's choice, Eq. 4-5);
// pre, activate every voxel to its alpha and interpolate the alphas; in, activate to sigma
// (softplus) and interpolate the sigmas (the code's pre_act_density / in_act_density).
enum class DvgoInterpolation : int { Post = 0, Pre = 1, In = 2 };

struct DvgoConfig {
  DvgoInterpolation interpolation = DvgoInterpolation::Post;
  // Coarse stage (configs/default.py coarse_*): num_voxels 1024000 over the whole box, i.e.
  // floor(1024000^(1/3)) = 100 nodes per axis on a cube; alpha_init 1e-6.
  int coarse_resolution = 100;
  float coarse_alpha_init = 1e-6f;
  // Fine stage: 160^3 voxels (num_voxels and num_voxels_base) inside the coarse geometry's
  // box (voxels with alpha > bbox_threshold, the box grown by world_bound_scale 1.05);
  // alpha_init 1e-2; progressive scaling from num_voxels / 2^4 doubling at fine steps
  // 1000, 2000, 3000, 4000 of 20000 (pg_scale).
  int fine_voxels = 160 * 160 * 160;
  float fine_alpha_init = 1e-2f;
  float bbox_threshold = 1e-3f;
  float world_bound_scale = 1.05f;
  std::vector<float> fine_scale_at = {1000.f / 20000.f, 2000.f / 20000.f, 3000.f / 20000.f, 4000.f / 20000.f};
  // How the fine grids start: false, from zero (the code trains a new model); true, the coarse
  // grids resampled into the fine box with the same sigma and features (a departure for short
  // CPU budgets, where the coarse stage's few steps would otherwise be thrown away).
  bool fine_from_coarse = false;
  // The coarse stage's share of the run (5000 of 5000 + 20000 iterations).
  float coarse_fraction = 0.2f;
  int features = 12;        // the fine feature grid's channels (rgbnet_dim)
  float step_voxels = 0.5f; // the sampling step in voxels (stepsize): the interval of Raw2Alpha
  float lr_factor = 100.f;  // the grids' learning rate over the network's (0.1 / 1e-3)
  // The coarse stage's grid learning rate over the network's; 0: lr_factor (the code's
  // lrate_density / lrate_k0 are the same keys in coarse_train and fine_train).
  float coarse_lr_factor = 0.f;
  float coarse_grid_lr() const { return coarse_lr_factor > 0.f ? coarse_lr_factor : lr_factor; }
  // The view-count-based learning rate of the coarse grids (pervoxel_lr: a voxel's learning
  // rate times the number of training views that see it over the largest such number);
  // filled by the kind's configure() from the training cameras, one per coarse node
  // (coarse_resolution^3, x fastest); empty: off.
  bool view_count_lr = true;
  std::vector<float> coarse_view_lr;
  // The coarse stage's mask cache (run.py's per_voxel_init, with pervoxel_lr): the coarse nodes
  // seen by at most mask_min_views training views are skipped (no density, no gradient);
  // coarse_seen holds 1 (sampled) or 0 (skipped) per coarse node, filled by configure(); empty:
  // every node sampled.
  int mask_min_views = 2;
  std::vector<float> coarse_seen;
  // maskout_near_cam_vox (the coarse default True): the coarse nodes within near_clip (the
  // code's near, 2 world units on NeRF-synthetic) of a training camera's centre start at raw
  // density -100 instead of 0, so the space between the cameras and their near planes starts
  // empty; coarse_near_cam holds 1 for those nodes (filled by configure(); empty: none).
  bool maskout_near_cam = true;
  std::vector<float> coarse_near_cam;
  // The fine stage's mask cache (dvgo.py's MaskGrid from the coarse checkpoint): a fine-stage
  // point is sampled only where the coarse node nearest to it, after a 3x3x3 max pool, has
  // alpha >= mask_cache_threshold (the code's mask_cache_thres 1e-3); elsewhere it is known
  // free space (no density, no gradient).
  float mask_cache_threshold = 1e-3f;
  float box_side = 1.f;  // the scene box's side in the engine's frame (Dataset::aabb_scale)
};

}  // namespace nerds
