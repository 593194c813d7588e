// The shape of NeRF-W's per-image parts (Martin-Brualla et al. 2021, Sec. 4.1-4.2), apart from
// their storage, so that code that must not see Eigen (the CUDA backend) can read it. Both are
// off unless their module (appearance_module.cpp, transient_module.cpp) turns them on.
#pragma once

namespace nerds {

// Sec. 4.1: a latent appearance code l_i^(a) per training image, an input of the color MLP.
struct AppearanceConfig {
  int dim = 0;     // n^(a) numbers per image (the paper: 48); 0 = no embeddings
  int images = 0;  // training images (one code each)
};

// Sec. 4.2: a transient head on the geometry features and a per-image code l_i^(tau), with
// transient density sigma^tau, color c^tau and uncertainty beta per sample (Eq. 10-12), trained
// by the loss of Eq. 13.
struct TransientConfig {
  bool enabled = false;
  int dim = 16;     // n^(tau) numbers per image (the paper: 16)
  int hidden = 64;  // width of the transient MLP's hidden layers
  int layers = 2;   // its hidden layers
  int images = 0;   // training images (one code each)
  float beta_min = 0.03f;       // beta_min of Eq. 11 (added to the rendered beta)
  float density_weight = 0.01f;  // lambda_u of Eq. 13 (the L1 weight on sigma^tau)
  // Steps the static field trains alone (photometric loss) before the head joins: from the
  // start, the uncertainty explains every pixel of the still-blurry static field and the
  // transient field takes the scene over (our departure from the paper, which starts both).
  int start_step = 0;
};

}  // namespace nerds
