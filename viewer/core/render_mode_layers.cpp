#include "viewer/core/render_mode_layers.h"

#include <algorithm>

namespace nerds::viewer {

namespace {
constexpr int kLayerCount = static_cast<int>(RenderLayer::Uncertainty) + 1;
}

RenderLayer mode_render_layer(RenderMode mode) {
  switch (mode) {
    case RenderMode::Normals:
      return RenderLayer::DensityNormals;
    case RenderMode::PredictedNormals:
      return RenderLayer::PredictedNormals;
    case RenderMode::Diffuse:
      return RenderLayer::Diffuse;
    case RenderMode::Specular:
      return RenderLayer::Specular;
    case RenderMode::Static:
      return RenderLayer::Static;
    case RenderMode::Transient:
      return RenderLayer::Transient;
    case RenderMode::Uncertainty:
      return RenderLayer::Uncertainty;
    default:
      return RenderLayer::None;
  }
}

std::string mode_unavailable(RenderMode mode, const SceneInfo& scene) {
  const int layer = static_cast<int>(mode_render_layer(mode));
  if (layer == 0) return "";
  if (layer >= static_cast<int>(scene.layer_unavailable.size())) return "the model was not described";
  return scene.layer_unavailable[layer];
}

LayerRequest mode_layer(const ViewSettings& view, const SceneInfo& scene) {
  LayerRequest r;
  if (!mode_unavailable(view.mode, scene).empty()) return r;
  r.layer = mode_render_layer(view.mode);
  const int images = scene.train ? static_cast<int>(scene.train->frames.size()) : 1;
  r.image = std::clamp(view.appearance.image_a, 0, std::max(images - 1, 0));
  return r;
}

void describe_model_layers(const Engine& engine, SceneInfo& scene) {
  scene.layer_unavailable.assign(kLayerCount, "");
  for (int k = 1; k < kLayerCount; ++k) scene.layer_unavailable[k] = engine.layer_unavailable(static_cast<RenderLayer>(k));
}

}  // namespace nerds::viewer
