// NeRF-W's evaluation protocol (Martin-Brualla et al. 2021, Sec. 5): a test photo's
// appearance is unknown to the model, so the appearance code of each test view is optimized on
// the LEFT half of its image with the model frozen (Engine::fit_view_appearance), and PSNR is
// measured on the RIGHT half only. Reported beside it: the right half's and the whole image's
// PSNR rendered with the mean of the training images' codes (what a render uses when no code is
// chosen). A model without appearance codes has nothing to fit: its right-half PSNR is that of
// its ordinary render, so both arms of an ablation are measured on the same pixels.
#pragma once

#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"

namespace nerds {

class Engine;

struct HalfImageOptions {
  int stride = 1;                         // views 0, stride, 2*stride, ...
  float background[3] = {1.f, 1.f, 1.f};  // as evaluate(): white
  int fit_rays = 1024;                    // left-half pixels the code is fitted to (evenly spread)
  int fit_steps = 100;                    // Adam steps of the fit
  float fit_lr = 2e-2f;
};

struct HalfImageView {
  int index = 0;
  double psnr_right = 0.0;       // right half, code fitted on the left half (or the plain render)
  double psnr_right_mean = 0.0;  // right half, the training codes' mean
  double psnr_mean = 0.0;        // whole image, the training codes' mean
};

struct HalfImageResult {
  bool fitted = false;  // whether the model has appearance codes (else nothing was fitted)
  int views = 0;
  double psnr_right = std::numeric_limits<double>::quiet_NaN();  // means over views
  double psnr_right_mean = std::numeric_limits<double>::quiet_NaN();
  double psnr_mean = std::numeric_limits<double>::quiet_NaN();
  std::vector<HalfImageView> per_view;
  // One line saying what was measured, for the CLI's output.
  std::string protocol() const;
  nlohmann::json to_json() const;
};

// The protocol on `data` (a split loaded with its images, Engine::load_split). Leaves the
// engine rendering with the mean code (set_view_appearance({})).
HalfImageResult evaluate_half_image(Engine& engine, const Dataset& data, const HalfImageOptions& options);

}  // namespace nerds
