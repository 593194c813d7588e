#include "renderer/backend/render_layers.h"

#include <algorithm>
#include <stdexcept>

#include "renderer/backend/inspected_samples.h"
#include "renderer/backend/parallel.h"
#include "renderer/backend/ray_normals.h"
#include "renderer/math/activations.h"
#include "renderer/math/compositing.h"
#include "renderer/math/ref_nerf.h"
#include "renderer/math/transient_parts.h"
#include "renderer/techniques/fields/ref_nerf_normals.h"

namespace nerds {

namespace {

bool is_ref_nerf_layer(RenderLayer l) {
  return l == RenderLayer::PredictedNormals || l == RenderLayer::Diffuse || l == RenderLayer::Specular;
}
bool is_transient_layer(RenderLayer l) {
  return l == RenderLayer::Static || l == RenderLayer::Transient || l == RenderLayer::Uncertainty;
}

// Per-thread buffers of a chunk of rays.
struct LayerScratch {
  InspectedSamples s;
  DensityNormalScratch fd;
  TransientWorkspace transient;
  std::vector<float> normals, diffuse, sigma_t, rgb_t, beta;
  std::vector<int> image;
};

// Ray r's samples [b, b + c) composited into 3 floats at px.
void composite_ray(const NerfNetwork& network, const RenderSettings& rs, LayerScratch& ls, RenderLayer layer, int b,
                   int c, float* px) {
  const InspectedSamples& s = ls.s;
  if (is_transient_layer(layer)) {
    const size_t b3 = 3 * static_cast<size_t>(b);
    const TransientParts p =
        transient_parts(s.sigma.data() + b, s.rgb.data() + b3, ls.sigma_t.data() + b, ls.rgb_t.data() + b3,
                        ls.beta.data() + b, s.samples.dt.data() + b, c, rs.background,
                        network.transient().config().beta_min);
    for (int k = 0; k < 3; ++k) {
      if (layer == RenderLayer::Static) px[k] = p.static_rgb[k];
      if (layer == RenderLayer::Transient) px[k] = p.transient_rgb[k] + (1.f - p.transient_opacity) * rs.background[k];
      if (layer == RenderLayer::Uncertainty) px[k] = p.beta;
    }
    return;
  }
  Vec3 sum = make_vec3(0.f, 0.f, 0.f);
  float T = 1.f;
  for (int i = b; i < b + c; ++i) {
    const float w = composite_step(s.sigma[i], s.samples.dt[i], &T).weight;
    const float* v = nullptr;
    if (layer == RenderLayer::DensityNormals) v = ls.normals.data() + 3 * static_cast<size_t>(i);
    if (layer == RenderLayer::PredictedNormals) v = s.scratch.ws.ref.normal.data() + 3 * static_cast<size_t>(i);
    if (layer == RenderLayer::Diffuse) v = ls.diffuse.data() + 3 * static_cast<size_t>(i);
    if (layer == RenderLayer::Specular) {
      const float* rgb = s.rgb.data() + 3 * static_cast<size_t>(i);
      const float* d = ls.diffuse.data() + 3 * static_cast<size_t>(i);
      sum = sum + make_vec3(rgb[0] - d[0], rgb[1] - d[1], rgb[2] - d[2]) * w;
      continue;
    }
    sum = sum + make_vec3(v[0], v[1], v[2]) * w;
  }
  if (layer == RenderLayer::DensityNormals || layer == RenderLayer::PredictedNormals) sum = unit_or_zero(sum);
  if (layer == RenderLayer::Diffuse) sum = sum + make_vec3(rs.background[0], rs.background[1], rs.background[2]) * T;
  px[0] = sum.x;
  px[1] = sum.y;
  px[2] = sum.z;
}

// The per-sample quantities a layer composites, after the forward pass.
void sample_quantities(const NerfNetwork& network, const LayerRequest& request, float normal_step, LayerScratch& ls) {
  InspectedSamples& s = ls.s;
  const int m = s.samples.size();
  if (m == 0) return;
  const RenderLayer layer = request.layer;
  if (layer == RenderLayer::DensityNormals) {
    ls.normals.resize(3 * static_cast<size_t>(m));
    density_normals(network, s.samples.pos.data(), m, normal_step, ls.fd, ls.normals.data());
  }
  if (layer == RenderLayer::Diffuse || layer == RenderLayer::Specular) {
    // Ref-NeRF's colour is c = clip(srgb(s * c_s + c_d)) (ref_nerf_head.h): the head keeps the
    // linear sum, its raw tint (rows 7..9 of its 10 outputs) and c_s (the colour MLP's sigmoid
    // outputs, color_out), so c_d = linear - sigmoid(tint raw) * c_s, shown tone-mapped alone.
    const RefHeadBuffers& ref = s.scratch.ws.ref;
    const float* spec = s.scratch.ws.color_out.data();
    ls.diffuse.resize(3 * static_cast<size_t>(m));
    for (int i = 0; i < m; ++i)
      for (int c = 0; c < 3; ++c) {
        const size_t k = 3 * static_cast<size_t>(i) + c;
        const float tint = sigmoid(ref.raw[static_cast<size_t>(i) * kRefHeadOutputs + 7 + c]);
        ls.diffuse[k] = std::clamp(linear_to_srgb(ref.linear[k] - tint * spec[k]), 0.f, 1.f);
      }
  }
  if (is_transient_layer(layer)) {
    ls.image.assign(m, request.image);
    ls.sigma_t.resize(m);
    ls.rgb_t.resize(3 * static_cast<size_t>(m));
    ls.beta.resize(m);
    // The forward left the geometry features in rows [0, G) of the colour stage's input.
    network.transient().forward(s.scratch.ws.color_in.data(), network.color_input_dim(), ls.image.data(), m,
                                ls.transient, ls.sigma_t.data(), ls.rgb_t.data(), ls.beta.data());
  }
}

}  // namespace

std::string render_layer_unavailable(const NerfNetwork& network, RenderLayer layer) {
  if (is_ref_nerf_layer(layer) && !network.ref_head())
    return "needs Ref-NeRF's head (field.color = ref_nerf)";
  if (is_transient_layer(layer) && !network.transient().enabled())
    return "needs NeRF-W's transient head (transient.enabled = true)";
  if (layer == RenderLayer::DensityNormals && network.encoding_uses_footprint())
    return "density normals need an encoding of points (not ipe or the zip_* grid)";
  return "";
}

void render_layer(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                  const Ray* rays, size_t n, const LayerRequest& request, float normal_step, std::vector<float>& out) {
  const std::string why = render_layer_unavailable(network, request.layer);
  if (!why.empty()) throw std::invalid_argument("render_layer: " + why);
  if (request.layer == RenderLayer::None) throw std::invalid_argument("render_layer: no layer asked for");
  if (is_transient_layer(request.layer) && (request.image < 0 || request.image >= network.transient().config().images))
    throw std::invalid_argument("render_layer: image " + std::to_string(request.image) + " has no transient code");
  out.assign(3 * n, 0.f);
  // Small chunks: a ray's samples are all evaluated (no early termination), so a chunk of
  // 32 rays is a few thousand samples, a batch the network runs well.
  constexpr size_t kChunk = 32;
  const int64_t n_chunks = static_cast<int64_t>((n + kChunk - 1) / kChunk);
  parallel_for(n_chunks, [&](int64_t k) {
    thread_local LayerScratch ls;
    const size_t first = static_cast<size_t>(k) * kChunk;
    const int count = static_cast<int>(std::min(kChunk, n - first));
    place_and_evaluate(network, grid, settings, rays, first, count, ls.s);
    sample_quantities(network, request, normal_step, ls);
    for (int r = 0; r < count; ++r)
      composite_ray(network, settings, ls, request.layer, ls.s.begin[r], ls.s.count[r], out.data() + 3 * (first + r));
  });
}

}  // namespace nerds
