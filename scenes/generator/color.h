// sRGB <-> linear conversion. Scenes are authored in sRGB (what the PNGs hold), lit in
// linear light (where adding light contributions is physically meaningful).
#pragma once

#include <cmath>

#include "renderer/math/vec3.h"

namespace nerds::scenes {

inline float srgb_to_linear(float c) {
  return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}
inline float linear_to_srgb(float c) {
  c = c < 0.f ? 0.f : (c > 1.f ? 1.f : c);
  return c <= 0.0031308f ? c * 12.92f : 1.055f * std::pow(c, 1.f / 2.4f) - 0.055f;
}
inline Vec3 srgb_to_linear(Vec3 c) {
  return make_vec3(srgb_to_linear(c.x), srgb_to_linear(c.y), srgb_to_linear(c.z));
}
inline Vec3 linear_to_srgb(Vec3 c) {
  return make_vec3(linear_to_srgb(c.x), linear_to_srgb(c.y), linear_to_srgb(c.z));
}

}  // namespace nerds::scenes
