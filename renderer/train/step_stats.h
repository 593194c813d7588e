// What a training step reports, and the time spent per stage: plain numbers that the engine's
// public header hands to its clients (renderer/engine.h), apart from the trainer itself.
#pragma once

#include <cmath>
#include <cstdint>

namespace nerds {

struct StepStats {
  int step = 0;               // the step just taken (1-based count after it)
  int rays = 0;
  int64_t marched_samples = 0;  // evaluated by the forward pass
  int64_t used_samples = 0;     // seen by the loss (after early termination): forward + backward
  double loss = 0.0;            // mean over rays and channels
  double mse = std::nan("");    // the batch's mean squared color error (any loss); NaN where not measured
  double sampler_loss = 0.0;    // the sampler's own loss (the proposal sampler's L_prop, weighted); 0 for others
  double seconds = 0.0;         // wall time of the step
};

struct StageTimes {  // cumulative seconds per stage, for profiles
  double occupancy = 0, march_forward_backward = 0;
  double hash_backward = 0;  // scatter into the table and the table's Adam update
  double optimizer = 0;      // MLP Adam and gradient reduction
};

}  // namespace nerds
