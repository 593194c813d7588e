#include "renderer/train/appearance_fit.h"

#include <cstring>
#include <memory>
#include <stdexcept>

#include "renderer/backend/render_batch.h"
#include "renderer/math/adam.h"
#include "renderer/math/compositing.h"
#include "renderer/techniques/samplers/hierarchical_sampler.h"
#include "renderer/techniques/samplers/sampler_kinds.h"

namespace nerds {

namespace {

// What the frozen model gives the fit: per kept sample its geometry features (G each), view
// direction and compositing weight; per ray its first kept sample and what its background adds.
struct FrozenRays {
  std::vector<float> geo, dir, weight;
  std::vector<int> begin;
  std::vector<float> base;  // 3 per ray: T_final * background
};

// Samples whose weight is below this change no pixel by a visible amount; dropping them keeps
// the loop short.
constexpr float kMinWeight = 1e-4f;

FrozenRays freeze_rays(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                       const std::vector<Ray>& rays) {
  const std::unique_ptr<RaySampler> sampler = make_ray_sampler(settings.sampler);
  const int G = network.config().geo_features, C = network.color_input_dim();
  FrozenRays f;
  RenderScratch s;
  std::vector<SamplePass> pass;
  std::vector<float> sigma;
  for (size_t r = 0; r < rays.size(); ++r) {
    f.begin.push_back(static_cast<int>(f.weight.size()));
    prepare_rays(settings, rays.data(), r, 1, s);
    s.samples.clear();
    float T = 1.f;
    if (s.rays[0].hit) {
      sampler->place_inspected_samples(network, grid, settings, s, pass);
      const int n = s.samples.size();
      sigma.resize(n);
      if (n > 0) sample_densities(network, settings.march.box_half, settings.warp, s.samples, s.ws, s.mean, s.var, sigma.data());
      for (int i = 0; i < n; ++i) {
        const SampleWeight w = composite_step(sigma[i], s.samples.dt[i], &T);
        if (w.weight < kMinWeight) continue;
        const float* col = s.ws.color_in.data() + static_cast<size_t>(i) * C;
        f.geo.insert(f.geo.end(), col, col + G);
        f.dir.insert(f.dir.end(), s.samples.dir.begin() + 3 * i, s.samples.dir.begin() + 3 * i + 3);
        f.weight.push_back(w.weight);
      }
    }
    for (int k = 0; k < 3; ++k) f.base.push_back(T * settings.background[k]);
  }
  f.begin.push_back(static_cast<int>(f.weight.size()));
  return f;
}

}  // namespace

std::vector<float> fit_view_appearance(const NerfNetwork& network, const OccupancyView& grid,
                                       const RenderSettings& settings, const std::vector<Ray>& rays,
                                       const std::vector<float>& target, const AppearanceFitOptions& options,
                                       std::vector<float> start) {
  const int A = network.appearance().dim();
  if (A == 0) throw std::invalid_argument("fit_view_appearance: the model has no appearance codes");
  if (target.size() != 3 * rays.size()) throw std::invalid_argument("fit_view_appearance: 3 target values per ray");
  std::vector<float> code = start.empty() ? network.appearance().mean() : std::move(start);
  if (static_cast<int>(code.size()) != A) throw std::invalid_argument("fit_view_appearance: start code size");
  const FrozenRays f = freeze_rays(network, grid, settings, rays);
  const int m = static_cast<int>(f.weight.size());
  const int n_rays = static_cast<int>(rays.size());
  if (m == 0 || n_rays == 0) return code;
  const int G = network.config().geo_features, C = network.color_input_dim();
  NetworkWorkspace ws;
  network.reserve(ws, m);
  for (int i = 0; i < m; ++i)  // the color MLP reads these rows and never writes them
    std::memcpy(ws.color_in.data() + static_cast<size_t>(i) * C, f.geo.data() + static_cast<size_t>(i) * G,
                G * sizeof(float));
  NetworkGradients grads = network.make_gradients();
  std::vector<float> rgb(3 * static_cast<size_t>(m)), d_rgb(3 * static_cast<size_t>(m)), d_code(A);
  std::vector<float> moment1(A, 0.f), moment2(A, 0.f);
  const float scale = 1.f / (3.f * static_cast<float>(n_rays));  // d(mean squared error)
  for (int step = 1; step <= options.steps; ++step) {
    network.color(f.dir.data(), m, ws, rgb.data(), nullptr, code.data());
    for (int r = 0; r < n_rays; ++r) {
      float pred[3] = {f.base[3 * r], f.base[3 * r + 1], f.base[3 * r + 2]};
      for (int i = f.begin[r]; i < f.begin[r + 1]; ++i)
        for (int k = 0; k < 3; ++k) pred[k] += f.weight[i] * rgb[3 * i + k];
      for (int i = f.begin[r]; i < f.begin[r + 1]; ++i)
        for (int k = 0; k < 3; ++k) d_rgb[3 * i + k] = 2.f * scale * (pred[k] - target[3 * r + k]) * f.weight[i];
    }
    std::fill(d_code.begin(), d_code.end(), 0.f);
    network.color_backward(ws, m, d_rgb.data(), grads, nullptr, d_code.data());
    const AdamStep adam = make_adam_step(options.lr, 0.9f, 0.99f, 1e-8f, step, 0.f);
    for (int k = 0; k < A; ++k) adam_update(adam, d_code[k], false, &code[k], &moment1[k], &moment2[k]);
  }
  return code;
}

}  // namespace nerds
