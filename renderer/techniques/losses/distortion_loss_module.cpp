// Mip-NeRF 360's distortion loss (Barron et al. 2022, Eq. 15; renderer/math/distortion_loss.h),
// added to the photometric loss with weight loss.distortion_weight (the paper's lambda = 0.01,
// Sec. 5; 0 = off, the engine's default, so the default methods train as before). Its effect
// in the paper is fewer floaters, not PSNR (Table 2: 24.41 without it vs 24.37 with it); `nerds
// eval` measures floaters where the scene gives true depth (EvalResult::floater_share).
// The CUDA backend does not run it (cuda_backend_supports names the parameter).
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/losses/distortion_loss_probes.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  p.declare("loss",
            {"distortion_weight", ParamType::Float,
             "Mip-NeRF 360's distortion loss L_dist (Eq. 15) weight; 0 = off, the paper's 0.01", 0.0, 10.0},
            0.0);  // needs a reset: a new engine asks the backend whether it runs the loss (CUDA does not)
}

void configure(const ParamSet& p, const Dataset&, TrainConfig& c) {
  c.distortion_weight = static_cast<float>(p.get_float("loss.distortion_weight"));
}

}  // namespace

TechniqueModule distortion_loss_module() {
  return {"loss", "regularizers added to the photometric loss: Mip-NeRF 360's distortion loss",
          "Barron et al. 2022 (Mip-NeRF 360), Eq. 15", declare, configure, distortion_loss_probes};
}

}  // namespace nerds
