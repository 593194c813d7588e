// NeRF-W's latent appearance codes (Martin-Brualla et al. 2021, Sec. 4.1, after GLO): one
// vector l_i^(a) of n^(a) numbers per training image, optimized with the model and fed to the
// color MLP beside the geometry features and the view direction, so that exposure, lighting
// and tone changes between photos need not be explained by the shared geometry. A view that is
// not a training image is rendered with a chosen code (another image's, a blend, a code fitted
// to a test image), else with the mean of the training codes.
#pragma once

#include <vector>

#include "renderer/model/param_tensor.h"
#include "renderer/techniques/per_image/per_image_config.h"

namespace nerds {

// The name of the codes' trained tensor: [images, dim], row-major (image after image).
constexpr const char* kAppearanceEmbeddingsTensor = "field.appearance.embeddings";

class AppearanceEmbeddings {
 public:
  AppearanceEmbeddings() = default;
  // Zero codes (GLO starts every image alike; the color MLP's weights tell them apart).
  explicit AppearanceEmbeddings(const AppearanceConfig& config);

  int dim() const { return config_.dim; }
  int images() const { return config_.images; }
  const float* code(int image) const { return values_.data() + static_cast<size_t>(image) * config_.dim; }
  // The mean of the training images' codes: the appearance of an unseen view.
  std::vector<float> mean() const;
  // One tensor (none when dim is 0).
  std::vector<ParamTensor> param_tensors();

 private:
  AppearanceConfig config_;
  std::vector<float> values_;
};

}  // namespace nerds
