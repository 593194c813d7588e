// The training curves the viewer plots: one point per step (bounded: when full, every other
// point is dropped, so the whole run stays visible at half the density), and the series the
// panels draw from them (loss, PSNR from the batches' squared error, steps/s, samples/s).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nerds::viewer {

struct TrainingPoint {
  int step = 0;
  double wall_seconds = 0.0;   // since the engine opened (training and rendering)
  double train_seconds = 0.0;  // inside train_step() only
  int64_t used_samples = 0;    // cumulative
  float loss = 0.f;
  float mse = std::nanf("");  // the batch's mean squared color error, where the backend measures it
  // BARF: the training cameras' mean pose error against their true poses after alignment
  // (renderer/train/pose_evaluation.h), at the steps it was measured (NaN elsewhere).
  float pose_rotation_deg = std::nanf(""), pose_translation = std::nanf("");
};

class TrainingHistory {
 public:
  explicit TrainingHistory(size_t capacity = 4096) : capacity_(capacity < 16 ? 16 : capacity) {}
  void add(const TrainingPoint& p);
  void clear() { points_.clear(); }
  const std::vector<TrainingPoint>& points() const { return points_; }
  bool empty() const { return points_.empty(); }

 private:
  size_t capacity_;
  std::vector<TrainingPoint> points_;
};

// Plot series over the points (one value per point).
struct TrainingSeries {
  std::vector<float> loss;
  std::vector<float> psnr;                // -10 log10(mse), or of the loss where no mse (meaningful for L2 only)
  std::vector<float> steps_per_second;    // over a window of wall time
  std::vector<float> samples_per_second;  // used samples per second of training time, same window
  // The points where the pose error was measured, in order (not one per point).
  std::vector<float> pose_rotation_deg, pose_translation;
};
// `window`: the number of points the rates are measured over.
TrainingSeries training_series(const std::vector<TrainingPoint>& points, int window = 8);

// PSNR (dB) of a mean squared error; 0 for a non-positive error.
float psnr_of_mse(double mse);

}  // namespace nerds::viewer
