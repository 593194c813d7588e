// The weights of Ref-NeRF's normal regularizers and the step of its finite-difference normals
// (ref_nerf_normals.h), apart from the CPU classes so that plain code (TrainConfig, the CUDA
// backend's supports()) can read them.
#pragma once

namespace nerds {

struct RefNerfLossWeights {
  float orientation = 0.1f;        // R_o: multinerf configs/blender_refnerf.gin orientation_loss_mult
  float predicted_normal = 3e-4f;  // R_p: predicted_normal_loss_mult
  float normal_step = 2e-3f;       // h of the central differences, in the [0,1]^3 box's units
  float normal_min_weight = 0.f;   // R_p only on samples whose compositing weight reaches this (0: all, the paper's)
  // Before this step the colour loss does not reach the predicted normals (through the
  // reflection and n'.d): only R_o and R_p train them (0: from the start, as the paper).
  int normal_detach_steps = 0;
  // The colour MLP's learning rate eases in over this many steps from 1% (multinerf's
  // lr_delay_steps with lr_delay_mult 0.01, there on every parameter); 0: none.
  int color_warmup_steps = 0;
  // R_o's gradient reaches only the predicted normals, not the compositing weights (so not the
  // densities); false: also the weights, as the paper's R_o = sum_i w_i max(0, n'_i . d)^2.
  bool orientation_detach_weights = false;
};

}  // namespace nerds
