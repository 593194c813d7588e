#include "renderer/train/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <utility>

#include "renderer/backend/ray_normals.h"
#include "renderer/data/true_depth.h"
#include "renderer/data/true_normals.h"
#include "renderer/engine.h"
#include "renderer/error.h"
#include "renderer/math/off_surface_weight.h"
#include "renderer/math/pixel_cone.h"
#include "renderer/math/ref_nerf.h"
#include "renderer/train/trainer.h"
#include "renderer/train/metrics.h"

namespace nerds {

namespace fs = std::filesystem;

namespace {

// JSON has no inf/NaN: such a value is written as null.
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

// One name per frame: the image's stem, made unique with the index where two collide.
std::vector<std::string> view_names(const Dataset& data) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (size_t i = 0; i < data.frames.size(); ++i) {
    std::string stem = fs::path(data.frames[i].image_path).stem().string();
    if (stem.empty()) stem = "view";
    std::string name = stem;
    if (seen.count(name)) name = stem + "_" + std::to_string(i);
    seen.insert(name);
    names.push_back(name);
  }
  return names;
}

double mean_of(const std::vector<ViewMetrics>& views, double ViewMetrics::*field) {
  if (views.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0.0;
  for (const ViewMetrics& v : views) sum += v.*field;
  return sum / static_cast<double>(views.size());
}

// SSIM's mean over the views that have one (a view smaller than its window has NaN).
double mean_ssim(const std::vector<ViewMetrics>& views) {
  std::vector<ViewMetrics> scored;
  for (const ViewMetrics& v : views)
    if (!std::isnan(v.ssim)) scored.push_back(v);
  return mean_of(scored, &ViewMetrics::ssim);
}

// The means per image size, largest first; empty when all views share one size.
std::vector<SizeMetrics> per_size_means(const std::vector<ViewMetrics>& views) {
  std::vector<std::pair<int, int>> sizes;
  for (const ViewMetrics& v : views)
    if (std::find(sizes.begin(), sizes.end(), std::make_pair(v.width, v.height)) == sizes.end())
      sizes.emplace_back(v.width, v.height);
  if (sizes.size() < 2) return {};
  std::stable_sort(sizes.begin(), sizes.end(), [](const std::pair<int, int>& a, const std::pair<int, int>& b) {
    return static_cast<int64_t>(a.first) * a.second > static_cast<int64_t>(b.first) * b.second;
  });
  std::vector<SizeMetrics> out;
  for (const auto& [width, height] : sizes) {
    std::vector<ViewMetrics> of_size;
    for (const ViewMetrics& v : views)
      if (v.width == width && v.height == height) of_size.push_back(v);
    SizeMetrics m;
    m.width = width;
    m.height = height;
    m.views = static_cast<int>(of_size.size());
    m.psnr = mean_of(of_size, &ViewMetrics::psnr);
    m.ssim = mean_ssim(of_size);
    out.push_back(m);
  }
  return out;
}

// The mean of `field` over the views that have it (NaN: none).
double mean_of_measured(const std::vector<ViewMetrics>& views, double ViewMetrics::*field) {
  std::vector<ViewMetrics> measured;
  for (const ViewMetrics& v : views)
    if (!std::isnan(v.*field)) measured.push_back(v);
  return mean_of(measured, field);
}

// depth_error of one view (evaluate.h): rendered against true depth, in world units.
double depth_error(const RenderBuffers& out, const TrueDepth& truth, float scene_scale) {
  double sum = 0.0;
  size_t count = 0;
  for (size_t p = 0; p < truth.distance.size(); ++p) {
    if (truth.distance[p] <= 0.f) continue;
    const float rendered = out.opacity[p] > 1e-3f ? out.depth[p] / out.opacity[p] : 0.f;
    sum += std::fabs(rendered - truth.distance[p]) / scene_scale;
    ++count;
  }
  return count ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

// floater_share of one view (evaluate.h): the inspector's samples of every stride-th pixel's
// ray, their distances along the ray being the engine's.
double floater_share(const Engine& engine, const Frame& frame, const TrueDepth& truth, int stride) {
  double sum = 0.0;
  size_t count = 0;
  for (int y = stride / 2; y < truth.height; y += stride)
    for (int x = stride / 2; x < truth.width; x += stride) {
      const float surface = truth.distance[static_cast<size_t>(y) * truth.width + x];
      if (surface <= 0.f) continue;
      OffSurfaceWeight share;
      for (const RaySample& s : engine.inspect(frame.pose, frame.intrinsics, x + 0.5f, y + 0.5f))
        share.add(s.t, s.weight, surface);
      sum += share.share();
      ++count;
    }
  return count ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

// normal_mae and normal_mae_predicted of one view (evaluate.h), in degrees.
void normal_errors(const Engine& engine, const Frame& frame, const TrueNormals& truth, int stride, double* density,
                   double* predicted) {
  const TrainConfig& config = engine.config();
  const Trainer& trainer = engine.trainer();
  RenderSettings rs;
  rs.march = config.march;
  rs.sampler = config.sampler;
  rs.warp = config.warp;
  rs.min_transmittance = config.min_transmittance;
  rs.pixel_radius = cone_radius_per_unit_distance(frame.intrinsics.fx);
  double sum = 0.0, sum_pred = 0.0;
  size_t count = 0;
  bool has_predicted = false;
  for (int y = stride / 2; y < truth.height; y += stride)
    for (int x = stride / 2; x < truth.width; x += stride) {
      const Vec3 n = truth.normal[static_cast<size_t>(y) * truth.width + x];
      if (dot(n, n) == 0.f) continue;
      const RayNormals r = render_ray_normals(trainer.network(), trainer.occupancy().view(), rs,
                                              camera_ray(frame.pose, frame.intrinsics, x + 0.5f, y + 0.5f),
                                              config.ref_nerf.normal_step);
      const auto angle = [&](Vec3 v) { return dot(v, v) > 0.f ? angle_degrees(v, n) : 90.0; };
      sum += angle(r.density);
      sum_pred += angle(r.predicted);
      has_predicted = r.has_predicted;
      ++count;
    }
  if (count == 0) return;
  *density = sum / static_cast<double>(count);
  if (has_predicted) *predicted = sum_pred / static_cast<double>(count);
}

}  // namespace

std::vector<float> composite_ground_truth(const Dataset& data, size_t frame, const float background[3]) {
  const size_t n = data.pixel_count(frame);
  const uint8_t* src = data.image(frame);
  std::vector<float> rgb(3 * n);
  for (size_t p = 0; p < n; ++p) {
    const float a = src[4 * p + 3] / 255.f;
    for (int c = 0; c < 3; ++c) rgb[3 * p + c] = src[4 * p + c] / 255.f * a + (1.f - a) * background[c];
  }
  return rgb;
}

Image8 rgb_to_image(const std::vector<float>& rgb, int width, int height) {
  Image8 img;
  img.width = width;
  img.height = height;
  img.channels = 3;
  img.pixels.resize(rgb.size());
  for (size_t i = 0; i < rgb.size(); ++i) img.pixels[i] = to_u8(rgb[i]);
  return img;
}

Image8 error_image(const std::vector<float>& a, const std::vector<float>& b, int width, int height, float gain) {
  Image8 img;
  img.width = width;
  img.height = height;
  img.channels = 3;
  const size_t n = static_cast<size_t>(width) * height;
  img.pixels.resize(3 * n);
  for (size_t p = 0; p < n; ++p) {
    float e = 0.f;
    for (int c = 0; c < 3; ++c) e += std::fabs(a[3 * p + c] - b[3 * p + c]);
    e = std::clamp(e / 3.f * gain, 0.f, 1.f);
    // "hot": black -> red (1/3) -> yellow (2/3) -> white (1).
    img.pixels[3 * p + 0] = to_u8(3.f * e);
    img.pixels[3 * p + 1] = to_u8(3.f * e - 1.f);
    img.pixels[3 * p + 2] = to_u8(3.f * e - 2.f);
  }
  return img;
}

nlohmann::json EvalResult::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const ViewMetrics& v : per_view)
    list.push_back({{"index", v.index},
                    {"name", v.name},
                    {"width", v.width},
                    {"height", v.height},
                    {"psnr", number_or_null(v.psnr)},
                    {"ssim", number_or_null(v.ssim)},
                    {"mse", number_or_null(v.mse)}});
  nlohmann::json j;
  j["split"] = split;
  j["stride"] = stride;
  j["views"] = views;
  j["width"] = width;
  j["height"] = height;
  const bool white = background[0] == 1.f && background[1] == 1.f && background[2] == 1.f;
  j["background"] = white ? nlohmann::json("white") : nlohmann::json({background[0], background[1], background[2]});
  j["psnr"] = number_or_null(psnr);
  j["ssim"] = number_or_null(ssim);
  j["mean"] = {{"psnr", number_or_null(psnr)}, {"ssim", number_or_null(ssim)}};
  j["seconds"] = seconds;
  j["per_view"] = list;
  if (!std::isnan(depth_error)) {
    j["depth_error"] = number_or_null(depth_error);
    j["floater_share"] = number_or_null(floater_share);
    j["depth_metrics"] = {
        {"depth_error",
         "mean over pixels with a true surface of |rendered depth - true depth|, world units (rendered depth = "
         "sum w_i t_i / opacity)"},
        {"floater_share",
         "mean over rays (every floater_stride-th pixel with a true surface) of the share of the ray's weight lying "
         "farther than 5% of the true depth from the true surface"}};
    for (size_t i = 0; i < per_view.size(); ++i) {
      j["per_view"][i]["depth_error"] = number_or_null(per_view[i].depth_error);
      j["per_view"][i]["floater_share"] = number_or_null(per_view[i].floater_share);
    }
  }
  if (!std::isnan(normal_mae)) {
    j["normal_mae"] = number_or_null(normal_mae);
    j["normal_mae_predicted"] = number_or_null(normal_mae_predicted);
    j["normal_metrics"] = {
        {"normal_mae",
         "mean over rays (every normal_stride-th pixel with a true surface) of the angle in degrees between the true "
         "normal and the rendered density normal (sum w_i n_i normalized; n_i = -grad of the raw density by central "
         "differences); 90 where the ray renders none"},
        {"normal_mae_predicted", "the same for Ref-NeRF's predicted normals (field.color=ref_nerf; null otherwise)"}};
    for (size_t i = 0; i < per_view.size(); ++i) {
      j["per_view"][i]["normal_mae"] = number_or_null(per_view[i].normal_mae);
      j["per_view"][i]["normal_mae_predicted"] = number_or_null(per_view[i].normal_mae_predicted);
    }
  }
  if (!per_size.empty()) {
    nlohmann::json sizes = nlohmann::json::array();
    for (const SizeMetrics& m : per_size)
      sizes.push_back({{"width", m.width},
                       {"height", m.height},
                       {"views", m.views},
                       {"psnr", number_or_null(m.psnr)},
                       {"ssim", number_or_null(m.ssim)}});
    j["per_size"] = sizes;
  }
  return j;
}

EvalResult evaluate(const Engine& engine, const Dataset& data, const EvalOptions& options) {
  if (options.stride < 1)
    throw InputError("--stride", "", "must be an integer >= 1, got " + std::to_string(options.stride));
  if (data.frames.empty()) throw InputError(data.root, data.split, "the split has no views to evaluate");
  if (data.frame_images.size() != data.frames.size() || data.rgba.size() < data.total_pixels() * 4)
    throw InputError(data.root, data.split, "the split was loaded without its images; evaluation needs them");
  const auto start = std::chrono::steady_clock::now();
  EvalResult result;
  result.split = data.split;
  result.stride = options.stride;
  result.width = data.width;
  result.height = data.height;
  for (int c = 0; c < 3; ++c) result.background[c] = options.background[c];
  if (!options.image_dir.empty()) {
    std::error_code ec;
    fs::create_directories(options.image_dir, ec);
    if (ec) throw InputError(options.image_dir, "", "cannot create the folder: " + ec.message());
  }
  const std::vector<std::string> names = view_names(data);
  const std::vector<TrueDepth> truth = load_true_depth(data);
  const std::vector<TrueNormals> true_normals = load_true_normals(data);
  // The inspector's t is the engine's distance without a warp and along contracted rays (NDC's
  // is along the NDC ray).
  const std::string warp = engine.params().get_string("warp.kind");
  const bool engine_distances = warp == "none" || warp == "contract";
  const int total = static_cast<int>((data.frames.size() + options.stride - 1) / options.stride);
  for (size_t i = 0; i < data.frames.size(); i += static_cast<size_t>(options.stride)) {
    const Frame& frame = data.frames[i];
    // The frame's own intrinsics describe its loaded (downscaled) image, size included.
    const int w = data.frame_images[i].width, h = data.frame_images[i].height;
    const RenderBuffers out = engine.render(frame.pose, frame.intrinsics, options.background);
    const std::vector<float> gt = composite_ground_truth(data, i, options.background);
    ViewMetrics v;
    v.index = static_cast<int>(i);
    v.name = names[i];
    v.width = w;
    v.height = h;
    v.mse = mse(out.rgb.data(), gt.data(), gt.size());
    v.psnr = psnr_from_mse(v.mse);
    if (!truth[i].empty()) {
      v.depth_error = depth_error(out, truth[i], data.scale);
      if (options.floater_stride > 0 && engine_distances)
        v.floater_share = floater_share(engine, frame, truth[i], options.floater_stride);
    }
    // The density's gradient is the box's only without a warp.
    if (!true_normals[i].empty() && options.normal_stride > 0 && warp == "none")
      normal_errors(engine, frame, true_normals[i], options.normal_stride, &v.normal_mae, &v.normal_mae_predicted);
    const bool ssim_fits = w >= 11 && h >= 11;
    v.ssim = ssim_fits ? ssim(out.rgb.data(), gt.data(), w, h, 3) : std::numeric_limits<double>::quiet_NaN();
    if (!options.image_dir.empty()) {
      const fs::path dir(options.image_dir);
      write_png((dir / (v.name + "_pred.png")).string(), rgb_to_image(out.rgb, w, h));
      write_png((dir / (v.name + "_gt.png")).string(), rgb_to_image(gt, w, h));
      write_png((dir / (v.name + "_err.png")).string(), error_image(out.rgb, gt, w, h, options.error_gain));
    }
    result.per_view.push_back(v);
    if (options.on_view) options.on_view(static_cast<int>(result.per_view.size()), total, v);
  }
  result.views = static_cast<int>(result.per_view.size());
  result.psnr = mean_of(result.per_view, &ViewMetrics::psnr);
  result.ssim = mean_ssim(result.per_view);
  result.per_size = per_size_means(result.per_view);
  result.depth_error = mean_of_measured(result.per_view, &ViewMetrics::depth_error);
  result.floater_share = mean_of_measured(result.per_view, &ViewMetrics::floater_share);
  result.normal_mae = mean_of_measured(result.per_view, &ViewMetrics::normal_mae);
  result.normal_mae_predicted = mean_of_measured(result.per_view, &ViewMetrics::normal_mae_predicted);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

EvalResult evaluate(const Engine& engine, const EvalOptions& options) {
  const Dataset data = engine.load_split(options.split, true);
  return evaluate(engine, data, options);
}

}  // namespace nerds
