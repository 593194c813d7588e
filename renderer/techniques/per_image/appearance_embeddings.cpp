#include "renderer/techniques/per_image/appearance_embeddings.h"

namespace nerds {

AppearanceEmbeddings::AppearanceEmbeddings(const AppearanceConfig& config)
    : config_(config), values_(static_cast<size_t>(config.images) * config.dim, 0.f) {}

std::vector<float> AppearanceEmbeddings::mean() const {
  std::vector<float> out(config_.dim, 0.f);
  if (config_.images == 0) return out;
  for (int i = 0; i < config_.images; ++i)
    for (int k = 0; k < config_.dim; ++k) out[k] += code(i)[k];
  for (float& v : out) v /= static_cast<float>(config_.images);
  return out;
}

std::vector<ParamTensor> AppearanceEmbeddings::param_tensors() {
  if (config_.dim == 0) return {};
  ParamTensor t;
  t.name = kAppearanceEmbeddingsTensor;
  t.shape = {config_.images, config_.dim};
  t.group = ParamGroup::Dense;
  t.values = values_.data();
  return {t};
}

}  // namespace nerds
