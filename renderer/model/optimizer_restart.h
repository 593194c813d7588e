// An optimizer restarted in the middle of a run, as TensoRF's official code does at each grid
// upsampling (apchenstu/TensoRF, train.py): after upsample_volume_grid it asks
// get_optparam_groups(lr_init * lr_scale, lr_basis * lr_scale) for every group it trains (the
// factors, basis_mat, the render MLP) and builds a new torch.optim.Adam over them, with
// lr_scale = 1 under its default lr_upsample_reset = 1 (else the decay so far,
// lr_decay_target_ratio^(iteration / n_iters)); each step then multiplies every group's rate by
// lr_factor = lr_decay_target_ratio^(1 / n_iters).
// In the engine's terms: from the restart on, a tensor's rate is its initial one times the
// schedule's decay since the restart (not since step 0), and a new Adam has zero moments and
// counts its bias correction from the restart.
#pragma once

#include "renderer/math/hd.h"

namespace nerds {

// What an encoding's resolution schedule restarts when it resizes its tensors, besides the
// resized tensors' Adam moments (which always restart: their old ones no longer fit).
struct OptimizerRestart {
  bool learning_rate = false;  // the rate back to its initial value, then decaying from there
  bool optimizer = false;      // every tensor's moments zeroed, Adam's step count from 1 again
};

// The rate at a step after a learning-rate restart: the schedule's rate now (lr_now) times
// the initial rate over the schedule's rate at the restart, i.e. the initial rate times the
// decay since the restart. For the exponential schedule lr0 r^(s / N) and a restart at step
// s_u: lr0 r^((s - s_u) / N), the code's lr_init * lr_factor^(steps since the new optimizer).
// No restart (lr_at_restart = 0, also a frozen schedule's): the schedule's rate.
NERDS_HD float restarted_lr(float lr_now, float lr_init, float lr_at_restart) {
  return lr_at_restart > 0.f ? lr_now * (lr_init / lr_at_restart) : lr_now;
}

// Adam's 1-based step count (its bias correction) at training step `step` (0-based) for an
// optimizer created at step `restart_step` (0: the run's start).
NERDS_HD int restarted_adam_step(int step, int restart_step) { return step - restart_step + 1; }

// A run's restarts so far: the backend records each, and reads the rate and Adam's step count.
struct RestartState {
  float lr_at_restart = 0.f;  // the schedule's rate at the last learning-rate restart; 0: none
  int adam_from = 0;          // the step of the last optimizer restart (0: none)

  void restart(const OptimizerRestart& r, int step, float lr_now) {
    if (r.learning_rate) lr_at_restart = lr_now;
    if (r.optimizer) adam_from = step;
  }
  float lr(float lr_now, float lr_init) const { return restarted_lr(lr_now, lr_init, lr_at_restart); }
  int adam_step(int step) const { return restarted_adam_step(step, adam_from); }
};

}  // namespace nerds
