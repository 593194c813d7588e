#include "viewer/core/appearance_blend.h"

#include <algorithm>
#include <stdexcept>

namespace nerds::viewer {

std::vector<float> blend_codes(const std::vector<float>& a, const std::vector<float>& b, float t) {
  if (a.size() != b.size()) throw std::invalid_argument("blend_codes: codes of different lengths");
  t = std::clamp(t, 0.f, 1.f);
  if (t == 0.f) return a;
  if (t == 1.f) return b;
  std::vector<float> out(a.size());
  for (size_t k = 0; k < a.size(); ++k) out[k] = (1.f - t) * a[k] + t * b[k];
  return out;
}

std::vector<float> chosen_appearance(const Engine& engine, const AppearanceChoice& choice) {
  const std::vector<float> a = engine.appearance_code(choice.image_a);
  if (a.empty() || choice.blend <= 0.f) return a;
  return blend_codes(a, engine.appearance_code(choice.image_b), choice.blend);
}

}  // namespace nerds::viewer
