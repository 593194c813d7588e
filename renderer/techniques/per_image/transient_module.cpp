// NeRF-W's transient objects (Martin-Brualla et al. 2021, Sec. 4.2): transient.enabled adds a
// head on the geometry features and a per-image code of transient.dim numbers (the paper's
// n^(tau) = 16) giving a transient density, color and uncertainty per sample, composited with
// the static field (Eq. 10-12) and trained by Eq. 13's loss (the uncertainty-weighted color
// error, log beta, lambda_u times the mean transient density), which replaces the photometric
// loss. Off by default. Renders show the static field. The CUDA backend does not run it.
#include "renderer/techniques/core/modules.h"
#include "renderer/techniques/per_image/per_image_probes.h"

namespace nerds {

namespace {

void declare(ParamSet& p) {
  p.declare("transient",
            {"enabled", ParamType::Bool,
             "NeRF-W's transient head: per-image transient density, color and uncertainty, with Eq. 13's loss"},
            false);
  p.declare("transient", {"dim", ParamType::Int, "numbers per image's transient code (NeRF-W's n^(tau): 16)", 1, 256},
            int64_t{16});
  p.declare("transient", {"hidden", ParamType::Int, "width of the transient MLP's hidden layers", 8, 512}, int64_t{64});
  p.declare("transient", {"layers", ParamType::Int, "hidden layers of the transient MLP", 1, 8}, int64_t{2});
  p.declare("transient",
            {"beta_min", ParamType::Float, "the least rendered uncertainty beta (Eq. 11; nerf_pl: 0.03)", 1e-4, 10.0},
            0.03);
  p.declare("transient",
            {"density_weight", ParamType::Float,
             "lambda_u of Eq. 13: weight of the mean transient density along a ray (nerf_pl: 0.01)", 0.0, 10.0},
            0.01);
  p.declare("transient",
            {"start_step", ParamType::Int,
             "steps the static field trains alone before the transient head joins (0: from the start, as the paper)",
             0, 1e9},
            int64_t{0});
}

void configure(const ParamSet& p, const Dataset& data, TrainConfig& c) {
  TransientConfig& t = c.network.transient;
  t.enabled = p.get_bool("transient.enabled");
  t.dim = static_cast<int>(p.get_int("transient.dim"));
  t.hidden = static_cast<int>(p.get_int("transient.hidden"));
  t.layers = static_cast<int>(p.get_int("transient.layers"));
  t.images = t.enabled ? static_cast<int>(data.frames.size()) : 0;
  t.beta_min = static_cast<float>(p.get_float("transient.beta_min"));
  t.density_weight = static_cast<float>(p.get_float("transient.density_weight"));
  t.start_step = static_cast<int>(p.get_int("transient.start_step"));
}

}  // namespace

TechniqueModule transient_module() {
  return {"transient", "per-image transient density, color and uncertainty with their loss (NeRF-W's transient head)",
          "Martin-Brualla et al. 2021 (NeRF-W), Sec. 4.2, Eq. 10-13", declare, configure, transient_probes};
}

}  // namespace nerds
