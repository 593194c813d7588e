// Helpers of the training tests: the NeRF-synthetic evaluation protocol written out here
// (independently of renderer/train/evaluate.*, so the tests check it rather than reuse it),
// bitwise comparison of a run's state, and a wall clock.
#pragma once

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include <Eigen/Core>

#include "renderer/engine.h"
#include "renderer/train/metrics.h"
#include "renderer/train/trainer.h"

namespace nerds_test {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Frame `frame` of `data` (RGBA8, straight alpha) composited over `background`, float RGB.
inline std::vector<float> ground_truth_over(const nerds::Dataset& data, size_t frame, const float background[3]) {
  const uint8_t* texel = data.image(frame);
  std::vector<float> rgb(3 * data.pixel_count(frame));
  for (size_t p = 0; p < data.pixel_count(frame); ++p) {
    const float a = texel[4 * p + 3] / 255.f;
    for (int k = 0; k < 3; ++k) rgb[3 * p + k] = texel[4 * p + k] / 255.f * a + background[k] * (1.f - a);
  }
  return rgb;
}

struct SplitScore {
  double mean_psnr = 0.0;  // mean over views of the per-view PSNR (NeRF's protocol)
  double min_psnr = 0.0;
  int views = 0;
};

// Renders views 0, stride, 2*stride, ... of `split` on a white background and scores them
// against the ground truth on white.
inline SplitScore score_split(const nerds::Engine& engine, const nerds::Dataset& split, int stride) {
  const float white[3] = {1.f, 1.f, 1.f};
  SplitScore s;
  s.min_psnr = 1e9;
  for (size_t i = 0; i < split.frames.size(); i += static_cast<size_t>(stride)) {
    const nerds::RenderBuffers out = engine.render(split.frames[i].pose, split.frames[i].intrinsics, white);
    const std::vector<float> gt = ground_truth_over(split, i, white);
    const double p = nerds::psnr(out.rgb.data(), gt.data(), gt.size());
    s.mean_psnr += p;
    s.min_psnr = std::fmin(s.min_psnr, p);
    ++s.views;
  }
  if (s.views > 0) s.mean_psnr /= s.views;
  return s;
}

inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

inline bool same_bits(const std::vector<Eigen::MatrixXf>& a, const std::vector<Eigen::MatrixXf>& b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k].rows() != b[k].rows() || a[k].cols() != b[k].cols()) return false;
    if (a[k].size() && std::memcmp(a[k].data(), b[k].data(), static_cast<size_t>(a[k].size()) * sizeof(float)) != 0)
      return false;
  }
  return true;
}

// Every trained quantity of two runs is bit-identical: every tensor of the model's list (the
// same names and shapes, values and Adam moments) and the occupancy grid.
inline bool same_training_state(const nerds::Trainer& a, const nerds::Trainer& b) {
  const std::vector<nerds::ParamTensor> ta = a.param_tensors(), tb = b.param_tensors();
  if (ta.size() != tb.size()) return false;
  for (size_t i = 0; i < ta.size(); ++i) {
    if (ta[i].name != tb[i].name || ta[i].shape != tb[i].shape) return false;
    const std::vector<float> va(ta[i].values, ta[i].values + ta[i].size());
    const std::vector<float> vb(tb[i].values, tb[i].values + tb[i].size());
    if (!same_bits(va, vb) || !same_bits(a.moments()[i].m, b.moments()[i].m) ||
        !same_bits(a.moments()[i].v, b.moments()[i].v))
      return false;
  }
  return same_bits(a.occupancy().values(), b.occupancy().values());
}

// The mean training loss of the first and of the last `window` of `steps` training steps;
// finite is false (and training stops) at the first loss that is not finite.
struct LossWindows {
  double first = 0.0, last = 0.0;
  bool finite = true;
};

inline LossWindows train_loss_windows(nerds::Engine& engine, int steps, int window = 5) {
  LossWindows w;
  for (int i = 0; i < steps; ++i) {
    const nerds::StepStats s = engine.train_step();
    if (!std::isfinite(s.loss)) {
      w.finite = false;
      break;
    }
    if (i < window) w.first += s.loss / window;
    if (i >= steps - window) w.last += s.loss / window;
  }
  return w;
}

// Frame `frame` of `split` rendered on white: the opacity-weighted mean of its depth in the
// dataset's world units (engine depth / scale), NaN when a pixel's depth is not finite, and
// in *mean_opacity the mean opacity of its pixels.
inline double mean_rendered_world_depth(const nerds::Engine& engine, const nerds::Dataset& split, size_t frame,
                                        double* mean_opacity) {
  const float white[3] = {1.f, 1.f, 1.f};
  const nerds::RenderBuffers img = engine.render(split.frames[frame].pose, split.frames[frame].intrinsics, white);
  double depth = 0.0, weight = 0.0;
  for (size_t i = 0; i < img.depth.size(); ++i) {
    if (!std::isfinite(img.depth[i])) return NAN;
    depth += img.depth[i];
    weight += img.opacity[i];
  }
  *mean_opacity = weight / static_cast<double>(img.depth.size());
  return depth / weight / engine.train_set().scale;
}

}  // namespace nerds_test
