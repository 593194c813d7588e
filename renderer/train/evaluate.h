// Evaluation as NeRF papers report it (Mildenhall et al. 2020; Müller et al. 2022, Table 1):
// render every (or every Nth) view of a split on a WHITE background, compare it with the
// ground truth composited on the same background (straight alpha, sRGB [0, 1]), and report
// PSNR and SSIM per view and their means over views (the mean of per-view PSNRs, as the
// NeRF evaluation code averages them, not the PSNR of the pooled MSE). Each view is rendered
// at its own image size; when the split holds several (Mip-NeRF's multiscale Blender, whose
// Table 1 reports full, 1/2, 1/4 and 1/8 resolution), the means per size are reported too.
//
// Where the split gives true depth (the project's generated scenes, renderer/data/true_depth.h)
// two depth measures are reported too, per view and as means over those views:
//   depth_error    mean over the pixels with a true surface of |rendered depth - true depth|
//                  (world units; rendered depth = sum_i w_i t_i / opacity, 0 without opacity),
//   floater_share  mean over rays of the share of the ray's weight lying farther than 5% of the
//                  true depth from the true surface (renderer/math/off_surface_weight.h), on
//                  the rays through every floater_stride-th pixel in x and y that have a true
//                  surface; measured where the samples' distances are the engine's (warp.kind=none, contract).
//
// Where the split gives true normals (the generated scenes, renderer/data/true_normals.h) and
// the run samples the box without a warp (warp.kind=none), the normals' mean angular error
// (Ref-NeRF's MAE, Verbin et al. 2022, Sec. 5) is reported too, per view and as means:
//   normal_mae            mean over the rays through every normal_stride-th pixel in x and y
//                         that have a true surface of the angle (degrees) between the true
//                         normal and the rendered density normal (renderer/backend/ray_normals.h:
//                         sum_i w_i n_i normalized, n_i the raw density's negative gradient by
//                         central differences), 90 degrees where the ray renders no normal;
//   normal_mae_predicted  the same for Ref-NeRF's predicted normals (field.color = ref_nerf).
//
// A library function so the CLI (`nerds eval`, `nerds bench`, `nerds demo`), the viewer and
// the Python module evaluate identically.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/data/image_io.h"

namespace nerds {

class Engine;

struct ViewMetrics {
  int index = 0;      // the frame's index in its split
  std::string name;   // the image's file stem (r_12), unique within the split
  double psnr = 0.0;  // dB; +inf for a perfect match (null in JSON)
  double ssim = 0.0;  // NaN when the view is smaller than SSIM's 11x11 window (null in JSON)
  double mse = 0.0;
  int width = 0, height = 0;  // the view's image size
  double depth_error = std::numeric_limits<double>::quiet_NaN();    // NaN: no true depth (null in JSON)
  double floater_share = std::numeric_limits<double>::quiet_NaN();  // NaN: not measured (null in JSON)
  double normal_mae = std::numeric_limits<double>::quiet_NaN();            // degrees; NaN: not measured
  double normal_mae_predicted = std::numeric_limits<double>::quiet_NaN();  // degrees; NaN: not measured
};

// The views of one image size (Mip-NeRF Table 1's columns).
struct SizeMetrics {
  int width = 0, height = 0;
  int views = 0;
  double psnr = 0.0;  // mean over its views
  double ssim = 0.0;  // mean over its views; NaN below SSIM's window
};

struct EvalOptions {
  std::string split = "test";  // used by the overload that loads the split itself
  int stride = 1;              // evaluate views 0, stride, 2*stride, ...
  // Where <name>_pred.png, <name>_gt.png and <name>_err.png are written (created if needed);
  // empty: no images.
  std::string image_dir;
  float background[3] = {1.f, 1.f, 1.f};  // the NeRF-synthetic protocol: white
  float error_gain = 5.f;                 // the error image shows mean |pred - gt| * gain
  // The floater measure's rays: every floater_stride-th pixel in x and y (0: not measured).
  int floater_stride = 4;
  // The normals' error's rays: every normal_stride-th pixel in x and y (0: not measured).
  int normal_stride = 2;
  // Called after each view (for progress lines); may be empty.
  std::function<void(int done, int total, const ViewMetrics& view)> on_view;
};

struct EvalResult {
  std::string split;
  int stride = 1;
  int views = 0;  // views evaluated
  int width = 0, height = 0;  // the largest view's size
  float background[3] = {1.f, 1.f, 1.f};
  double psnr = 0.0;     // mean over views of the per-view PSNR
  double ssim = 0.0;     // mean over the views large enough for SSIM's 11x11 window (NaN: none)
  double seconds = 0.0;  // wall time of rendering and scoring (not of loading the split)
  // Means over the views with true depth (see the top of this file); NaN: none.
  double depth_error = std::numeric_limits<double>::quiet_NaN();
  double floater_share = std::numeric_limits<double>::quiet_NaN();
  double normal_mae = std::numeric_limits<double>::quiet_NaN();            // degrees, means over views
  double normal_mae_predicted = std::numeric_limits<double>::quiet_NaN();
  std::vector<ViewMetrics> per_view;
  // One per image size, largest first, when the evaluated views have more than one size.
  std::vector<SizeMetrics> per_size;

  // {"split", "stride", "views", "width", "height", "background": "white" or [r,g,b],
  //  "psnr", "ssim", "mean": {"psnr", "ssim"}, "seconds",
  //  "per_view": [{index, name, width, height, psnr, ssim, mse}],
  //  and with several sizes "per_size": [{width, height, views, psnr, ssim}],
  //  and where the split has true depth "depth_error", "floater_share" (and per view), with
  //  "depth_metrics": their definitions in words, and where measured "normal_mae",
  //  "normal_mae_predicted" (and per view) with "normal_metrics": their definitions}
  nlohmann::json to_json() const;
};

// Evaluates `data` (a split loaded with its images, in the engine's frame: use
// Engine::load_split). Throws InputError for a split without images or a bad stride.
EvalResult evaluate(const Engine& engine, const Dataset& data, const EvalOptions& options);
// Loads options.split of the engine's dataset folder, then evaluates it.
EvalResult evaluate(const Engine& engine, const EvalOptions& options);

// Frame i of `data` composited over `background`: float RGB in [0, 1], interleaved.
std::vector<float> composite_ground_truth(const Dataset& data, size_t frame, const float background[3]);
// Float RGB [0, 1] -> 8-bit RGB image.
Image8 rgb_to_image(const std::vector<float>& rgb, int width, int height);
// The error image: per pixel mean_c |a - b| * gain, clamped to [0, 1], through a
// black-red-yellow-white ("hot") color map.
Image8 error_image(const std::vector<float>& a, const std::vector<float>& b, int width, int height, float gain);

}  // namespace nerds
