// Plenoxels' settings (Fridovich-Keil, Yu et al. CVPR 2022; encoding.kind = plenoxels,
// encoding.plenoxels_*), plain C++ so that network_config.h (which the CUDA backend reads) can
// hold them. Defaults: the official code's (sxyu/svox2 opt/opt.py, opt/configs/syn.json).
#pragma once

#include <vector>

namespace nerds {

enum class PlenoxelsInterpolation : int { Trilinear = 0, Nearest = 1 };

struct PlenoxelsConfig {
  // Nodes per axis at the start and after the upsampling (syn.json's reso [[256]*3, [512]*3];
  // halved here: a dense 256^3 start with gradients and optimizer state is 7.5 GB on a CPU).
  int resolution_init = 128;
  int resolution_final = 256;
  // When to upsample, as fractions of the run (upsamp_every 38400 of n_iters 128000).
  std::vector<float> upsample_at = {38400.f / 128000.f};
  float schedule_steps = 128000.f;  // the run the learning-rate schedule's step counts refer to
  PlenoxelsInterpolation interpolation = PlenoxelsInterpolation::Trilinear;
  // Total variation (Sec. 3.4, Eq. 4): weights on density and on the SH coefficients
  // (lambda_tv 1e-5, lambda_tv_sh 1e-3), evaluated on a random fraction of the cells per step
  // (tv_sparsity 0.01).
  float tv_density = 1e-5f;
  float tv_sh = 1e-3f;
  float tv_fraction = 0.01f;
  // TV only until the first upsampling (the code's default tv_early_only 1; its ablation task
  // tvearlyonly.json compares it with TV throughout).
  bool tv_early_only = true;
  // TV's gradient only on the voxels this step's rays gave a gradient (false: the code's, every
  // voxel of the drawn cells). RMSProp moves an entry by about its rate whatever its gradient's
  // size, so a voxel with TV's gradient alone steps by the full rate and lambda_TV stops being a
  // weight. svox2's 5000-ray batches touch most voxels each step, so there TV is nearly always
  // a small addition; a CPU batch of about 100-1000 rays touches a few percent of them, and the
  // code's TV alone then throws the rest around (lego_100, 100 steps: 9.3 dB against 13.9 dB
  // without TV).
  bool tv_ray_voxels_only = false;
  // Pruning at each upsampling (Sec. 3.5): a node is kept when a node within `prune_dilation`
  // nodes (per axis) has raw density above prune_density (the code's thresh_type sigma:
  // density_thresh 5, dilate 2); at most max_voxels are kept (max_grid_elements), the densest.
  float prune_density = 5.f;
  int prune_dilation = 2;
  long long max_voxels = 4000000;
  float init_density = 0.1f;  // init_sigma; the SH coefficients start at 0
  // Learning rates (RMSProp, optimizer group "rmsprop"): svox2's get_expon_lr_func, log-linear
  // from lr to lr_final over decay_steps, the density's eased in over delay_steps from
  // delay_mult times it (lr_sigma 30 -> 0.05, lr_sh 1e-2 -> 5e-6, over 250000 steps; the
  // density's delay 15000 steps from 1e-2); step counts refer to schedule_steps.
  float lr_density = 30.f, lr_density_final = 5e-2f;
  float lr_sh = 1e-2f, lr_sh_final = 5e-6f;
  float lr_decay_steps = 250000.f;
  float lr_density_delay_steps = 15000.f, lr_density_delay_mult = 1e-2f;
};

}  // namespace nerds
