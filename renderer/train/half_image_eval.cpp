#include "renderer/train/half_image_eval.h"

#include <algorithm>

#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/train/evaluate.h"
#include "renderer/train/metrics.h"
#include "renderer/train/train_config.h"

namespace nerds {

namespace {

// PSNR over the pixels with x >= width / 2 (RGB, 3 per pixel, row after row).
double right_half_psnr(const std::vector<float>& a, const std::vector<float>& b, int width, int height) {
  std::vector<float> ra, rb;
  for (int y = 0; y < height; ++y)
    for (int x = width / 2; x < width; ++x)
      for (int k = 0; k < 3; ++k) {
        const size_t i = 3 * (static_cast<size_t>(y) * width + x) + k;
        ra.push_back(a[i]);
        rb.push_back(b[i]);
      }
  return psnr_from_mse(mse(ra.data(), rb.data(), ra.size()));
}

double mean_over(const std::vector<HalfImageView>& views, double HalfImageView::*field) {
  double s = 0.0;
  for (const HalfImageView& v : views) s += v.*field;
  return views.empty() ? std::numeric_limits<double>::quiet_NaN() : s / static_cast<double>(views.size());
}

}  // namespace

std::string HalfImageResult::protocol() const {
  char buf[400];
  if (fitted)
    std::snprintf(buf, sizeof buf,
                  "NeRF-W protocol: appearance code fitted on each view's left half (model frozen), PSNR on the right "
                  "half %.2f dB; with the mean training code: right half %.2f dB, whole image %.2f dB (%d views)",
                  psnr_right, psnr_right_mean, psnr_mean, views);
  else
    std::snprintf(buf, sizeof buf,
                  "NeRF-W protocol: PSNR on each view's right half %.2f dB (no appearance codes to fit; whole image "
                  "%.2f dB, %d views)",
                  psnr_right, psnr_mean, views);
  return buf;
}

nlohmann::json HalfImageResult::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const HalfImageView& v : per_view)
    list.push_back({{"index", v.index},
                    {"psnr_right", v.psnr_right},
                    {"psnr_right_mean_code", v.psnr_right_mean},
                    {"psnr_mean_code", v.psnr_mean}});
  return {{"protocol", "appearance code fitted on the left half of each view with the model frozen; PSNR on the right "
                       "half (Martin-Brualla et al. 2021, Sec. 5)"},
          {"fitted", fitted},
          {"views", views},
          {"psnr_right", psnr_right},
          {"psnr_right_mean_code", psnr_right_mean},
          {"psnr_mean_code", psnr_mean},
          {"per_view", list}};
}

HalfImageResult evaluate_half_image(Engine& engine, const Dataset& data, const HalfImageOptions& o) {
  if (o.stride < 1) throw InputError("--stride", "", "must be an integer >= 1, got " + std::to_string(o.stride));
  if (data.frames.empty()) throw InputError(data.root, data.split, "the split has no views to evaluate");
  if (data.frame_images.size() != data.frames.size() || data.rgba.size() < data.total_pixels() * 4)
    throw InputError(data.root, data.split, "the split was loaded without its images; evaluation needs them");
  HalfImageResult result;
  result.fitted = engine.config().network.appearance.dim > 0;
  for (size_t i = 0; i < data.frames.size(); i += static_cast<size_t>(o.stride)) {
    const Frame& frame = data.frames[i];
    const int w = data.frame_images[i].width, h = data.frame_images[i].height;
    const std::vector<float> gt = composite_ground_truth(data, i, o.background);
    HalfImageView v;
    v.index = static_cast<int>(i);
    engine.set_view_appearance({});  // the mean code
    const RenderBuffers mean_render = engine.render(frame.pose, frame.intrinsics, o.background);
    v.psnr_mean = psnr(mean_render.rgb.data(), gt.data(), gt.size());
    v.psnr_right_mean = right_half_psnr(mean_render.rgb, gt, w, h);
    v.psnr_right = v.psnr_right_mean;
    if (result.fitted && w >= 2) {
      // Left-half pixels spread evenly over it, about fit_rays of them.
      const int half = w / 2;
      const size_t left = static_cast<size_t>(half) * h;
      const size_t step = std::max<size_t>(1, left / static_cast<size_t>(std::max(o.fit_rays, 1)));
      std::vector<Ray> rays;
      std::vector<float> target;
      for (size_t p = step / 2; p < left; p += step) {
        const int x = static_cast<int>(p % half), y = static_cast<int>(p / half);
        rays.push_back(camera_ray(frame.pose, frame.intrinsics, x + 0.5f, y + 0.5f));
        for (int k = 0; k < 3; ++k) target.push_back(gt[3 * (static_cast<size_t>(y) * w + x) + k]);
      }
      engine.set_view_appearance(engine.fit_view_appearance(rays, target, o.background, o.fit_steps, o.fit_lr));
      const RenderBuffers fitted = engine.render(frame.pose, frame.intrinsics, o.background);
      v.psnr_right = right_half_psnr(fitted.rgb, gt, w, h);
    }
    result.per_view.push_back(v);
  }
  engine.set_view_appearance({});
  result.views = static_cast<int>(result.per_view.size());
  result.psnr_right = mean_over(result.per_view, &HalfImageView::psnr_right);
  result.psnr_right_mean = mean_over(result.per_view, &HalfImageView::psnr_right_mean);
  result.psnr_mean = mean_over(result.per_view, &HalfImageView::psnr_mean);
  return result;
}

}  // namespace nerds
