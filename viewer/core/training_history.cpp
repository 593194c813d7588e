#include "viewer/core/training_history.h"

#include <algorithm>
#include <cmath>

namespace nerds::viewer {

void TrainingHistory::add(const TrainingPoint& p) {
  if (!points_.empty() && p.step <= points_.back().step) points_.clear();  // a reset: a new run
  if (points_.size() >= capacity_) {
    // Keep every other point (and always the newest), so old steps stay plotted, sparser.
    std::vector<TrainingPoint> kept;
    kept.reserve(capacity_ / 2 + 1);
    for (size_t i = 0; i < points_.size(); i += 2) kept.push_back(points_[i]);
    points_.swap(kept);
  }
  points_.push_back(p);
}

float psnr_of_mse(double mse) { return mse > 0.0 ? static_cast<float>(-10.0 * std::log10(mse)) : 0.f; }

TrainingSeries training_series(const std::vector<TrainingPoint>& points, int window) {
  TrainingSeries s;
  const size_t n = points.size();
  s.loss.reserve(n);
  s.psnr.reserve(n);
  s.steps_per_second.reserve(n);
  s.samples_per_second.reserve(n);
  window = std::max(window, 1);
  for (size_t i = 0; i < n; ++i) {
    const TrainingPoint& p = points[i];
    s.loss.push_back(p.loss);
    s.psnr.push_back(psnr_of_mse(std::isnan(p.mse) ? p.loss : p.mse));
    const TrainingPoint& q = points[i >= static_cast<size_t>(window) ? i - window : 0];
    const double wall = p.wall_seconds - q.wall_seconds, train = p.train_seconds - q.train_seconds;
    s.steps_per_second.push_back(wall > 0.0 ? static_cast<float>((p.step - q.step) / wall) : 0.f);
    s.samples_per_second.push_back(train > 0.0 ? static_cast<float>((p.used_samples - q.used_samples) / train) : 0.f);
    if (!std::isnan(p.pose_rotation_deg)) {
      s.pose_rotation_deg.push_back(p.pose_rotation_deg);
      s.pose_translation.push_back(p.pose_translation);
    }
  }
  return s;
}

}  // namespace nerds::viewer
