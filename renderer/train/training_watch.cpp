#include "renderer/train/training_watch.h"

#include <cmath>
#include <string>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds {

namespace {
using json_fields::number_text;

std::string adam_settings(float lr, const OptimizerConfig& o) {
  return "this step's learning rate " + number_text(lr) + " (trainer.lr " + number_text(o.lr) + "), trainer.beta1 " +
         number_text(o.beta1) + ", trainer.beta2 " + number_text(o.beta2) + ", trainer.eps " + number_text(o.eps);
}
}  // namespace

void TrainingWatch::after_step(const StepStats& stats, float lr, const OptimizerConfig& optimizer, bool grid_enabled,
                               const std::function<size_t()>& occupied_cells) {
  const std::string at = "step " + std::to_string(stats.step);
  if (!std::isfinite(stats.loss))
    throw TrainingFailure("training", at,
                          "the loss is " + number_text(stats.loss) +
                              ": the optimizer diverged and the model now holds NaN or infinity. Likely causes: a "
                              "learning rate too high for this model (" +
                              adam_settings(lr, optimizer) +
                              "), or camera or scene values that send rays far from the scene box");
  steps_without_samples_ = stats.used_samples > 0 ? 0 : steps_without_samples_ + 1;
  if (steps_without_samples_ < kMaxStepsWithoutSamples) return;
  const std::string what = "no sample reached the model for " + std::to_string(steps_without_samples_) +
                           " steps in a row, so it gets no gradient and cannot learn. ";
  if (grid_enabled && occupied_cells() == 0)
    throw TrainingFailure("training", at,
                          what + "The occupancy grid is empty: the model's density collapsed everywhere (a learning "
                                 "rate too high: " +
                              adam_settings(lr, optimizer) + "; or images that are all background)");
  throw TrainingFailure("training", at,
                        what + "No training ray reaches the scene box: the cameras face away from it or the box is "
                               "misplaced (check the poses and the dataset's aabb_scale, scale and offset)");
}

}  // namespace nerds
