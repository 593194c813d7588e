// Optimization settings: Adam with Instant-NGP's hyper-parameters (Müller et al. 2022,
// Sec. 4: lr 1e-2, beta 0.9/0.99, eps 1e-15, L2 1e-6 on the MLP weights), step decay of the
// learning rate (instant-ngp decays by 0.33 every 10k steps from step 20k of a 35k-step GPU run;
// a CPU run takes ~3k steps in 2 minutes, so ours starts at 1200 and decays faster, with a floor),
// the photometric loss, the batch size in samples and the background
// randomization for RGBA data (Sec. 5.4); Mip-NeRF's area loss (Barron et al. 2021, Sec. 4,
// Table 1 "w/o area loss") for images of several resolutions.
// The defaults departing from the paper were measured on a 2-core CPU (issue 14, lego_100, equal
// steps, 50 test views): with a budget, the rate held to 60% of it and decayed to 1e-3 (+0.40 dB
// over 30% and 3e-4); the Huber loss (+0.14 dB over L2); 2^15 samples per batch (+0.41 dB at
// equal samples over 2^16, -1.3 dB for 2^17: more, noisier steps win at minutes-long budgets).
#include "renderer/techniques/core/modules.h"

namespace nerds {

namespace {
// The ends of the optimizer's ranges (see declare): the smallest epsilon (positive, far inside
// float's normal range) and the largest beta whose float stays below 1.
constexpr double kMinAdamEpsilon = 1e-30;
constexpr double kMaxAdamBeta = 1.0 - 1e-6;

void declare(ParamSet& p) {
  p.declare("trainer", {"batch_samples", ParamType::Int, "target samples per step seen by the loss", 256, 1 << 22},
            int64_t{1 << 15});
  // Adam's settings (Kingma & Ba 2015, Algorithm 1) within the ranges where its step is defined:
  // beta1, beta2 < 1 (the bias corrections 1 - beta^t divide the step: 1 is a division by zero,
  // and a double just below 1 rounds to 1.0f, hence 1 - 1e-6 at most); eps > 0 (with a zero
  // gradient and zero moments the step is 0 / (0 + eps)). A learning rate of 0 freezes the
  // model (Trainer::current_lr). Closed ranges, so the viewer's sliders stay inside.
  p.declare("trainer", {"lr", ParamType::Float, "Adam learning rate (0 freezes the model)", 0.0, 10.0, {}, false},
            1e-2);
  p.declare("trainer", {"beta1", ParamType::Float, "Adam beta1, below 1", 0.0, kMaxAdamBeta, {}, false}, 0.9);
  p.declare("trainer", {"beta2", ParamType::Float, "Adam beta2, below 1", 0.0, kMaxAdamBeta, {}, false}, 0.99);
  p.declare("trainer", {"eps", ParamType::Float, "Adam epsilon (> 0)", kMinAdamEpsilon, 1.0, {}, false}, 1e-15);
  p.declare("trainer", {"mlp_l2_reg", ParamType::Float, "L2 weight decay of the MLP weights", 0.0, 1.0, {}, false},
            1e-6);
  p.declare("trainer", {"decay_start", ParamType::Int, "step at which the learning rate starts decaying", 0, 10000000,
                        {}, false},
            int64_t{1200});
  p.declare("trainer", {"decay_interval", ParamType::Int, "steps per decay_factor of the learning rate", 1, 10000000,
                        {}, false},
            int64_t{600});
  p.declare("trainer", {"decay_factor", ParamType::Float, "learning-rate factor per decay_interval", 0.0, 1.0, {}, false},
            0.33);
  p.declare("trainer", {"lr_min", ParamType::Float, "floor of the decayed learning rate", 0.0, 10.0, {}, false}, 1e-3);
  p.declare("trainer",
            {"budget_decay_from", ParamType::Float,
             "with a training budget: fraction of it after which the learning rate decays", 0.0, 1.0, {}, false},
            0.6);
  p.declare("trainer",
            {"budget_lr_final", ParamType::Float, "with a training budget: the learning rate at its end", 0.0, 10.0,
             {}, false},
            1e-3);
  p.declare("trainer", {"loss", ParamType::Choice, "photometric loss", -1, 1, {"l2", "huber"}, false},
            std::string("huber"));
  p.declare("trainer", {"huber_delta", ParamType::Float, "Huber loss transition", 1e-6, 10.0, {}, false}, 0.1);
  p.declare("trainer",
            {"background", ParamType::Choice, "training background behind RGBA images", -1, 1,
             {"random", "white", "black"}, false},
            std::string("random"));
  p.declare("trainer",
            {"area_loss", ParamType::Bool,
             "Mip-NeRF's area loss: weigh a ray's loss by its image's lossmult (pixel area at full resolution)"},
            false);
  p.declare("trainer", {"seed", ParamType::Int, "random seed of initialization and sampling", 0, 4294967295.0},
            int64_t{1337});
}

void configure(const ParamSet& p, const Dataset&, TrainConfig& c) {
  c.batch_samples = static_cast<int>(p.get_int("trainer.batch_samples"));
  OptimizerConfig& o = c.optimizer;
  o.lr = static_cast<float>(p.get_float("trainer.lr"));
  o.beta1 = static_cast<float>(p.get_float("trainer.beta1"));
  o.beta2 = static_cast<float>(p.get_float("trainer.beta2"));
  o.eps = static_cast<float>(p.get_float("trainer.eps"));
  o.mlp_l2_reg = static_cast<float>(p.get_float("trainer.mlp_l2_reg"));
  o.decay_start = static_cast<int>(p.get_int("trainer.decay_start"));
  o.decay_interval = static_cast<int>(p.get_int("trainer.decay_interval"));
  o.decay_factor = static_cast<float>(p.get_float("trainer.decay_factor"));
  o.lr_min = static_cast<float>(p.get_float("trainer.lr_min"));
  o.budget_decay_from = static_cast<float>(p.get_float("trainer.budget_decay_from"));
  o.budget_lr_final = static_cast<float>(p.get_float("trainer.budget_lr_final"));
  c.loss = p.get_string("trainer.loss") == "huber" ? LossKind::Huber : LossKind::L2;
  c.huber_delta = static_cast<float>(p.get_float("trainer.huber_delta"));
  const std::string& bg = p.get_string("trainer.background");
  c.background = bg == "white" ? Background::White : bg == "black" ? Background::Black : Background::Random;
  c.area_loss = p.get_bool("trainer.area_loss");
  c.seed = static_cast<uint64_t>(p.get_int("trainer.seed"));
}
}  // namespace

TechniqueModule trainer_module() {
  return {"trainer", "Adam, learning-rate schedule, loss, batch size", "Müller et al. 2022 (Instant-NGP), Sec. 4, 5.4",
          declare, configure};
}

}  // namespace nerds
