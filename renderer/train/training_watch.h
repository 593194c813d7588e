// Stops a training run that computes nothing or NaN instead of letting it "succeed": after
// every step (any backend) the Trainer hands the step's scalar results here, which throws
// TrainingFailure (renderer/error.h) naming the likely cause when
//  - the step's loss is not finite (the optimizer diverged: a learning rate too high for the
//    model, or a camera or scene value that maps rays to nonsense), or
//  - kMaxStepsWithoutSamples steps in a row used no sample (no ray reaches the scene box, or
//    the occupancy grid emptied): the model gets no gradient and can never learn again.
// Per step it reads three numbers; the parameters themselves are scanned only when a model is
// saved or loaded (non_finite_scan.h), never in the hot loop.
#pragma once

#include <cstddef>
#include <functional>

#include "renderer/train/step_stats.h"
#include "renderer/train/train_config.h"

namespace nerds {

// 50 steps span three occupancy-grid updates at Instant-NGP's interval of 16 (Sec. 5.4): a
// batch that happens to draw no sample, or a grid that is empty for an update, recovers well
// before, while a run that truly sees nothing stops within seconds instead of spending its
// whole budget on zero samples per second.
constexpr int kMaxStepsWithoutSamples = 50;

class TrainingWatch {
 public:
  // `stats`: the step just taken; `lr`: the learning rate it used; `occupied_cells`: the
  // occupancy grid's occupied cells after it, asked only to name the cause of a failure.
  void after_step(const StepStats& stats, float lr, const OptimizerConfig& optimizer, bool grid_enabled,
                  const std::function<size_t()>& occupied_cells);

 private:
  int steps_without_samples_ = 0;
};

}  // namespace nerds
