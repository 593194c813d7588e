// Lights of the scene maker: directional (sun, parallel hard shadows) and point (falls off
// as 1/d^2). Colors are linear; see reflectance() in material.h for the units.
#pragma once

#include <cmath>
#include <limits>

#include "renderer/math/vec3.h"

namespace nerds::scenes {

struct Light {
  enum class Kind { kDirectional, kPoint };
  Kind kind = Kind::kDirectional;
  Vec3 vector;  // directional: unit direction toward the light; point: position
  Vec3 color;

  static Light directional(Vec3 toward_light, Vec3 color) {
    return {Kind::kDirectional, normalize(toward_light), color};
  }
  static Light point(Vec3 position, Vec3 color) { return {Kind::kPoint, position, color}; }
};

// What a light delivers at one point: where it comes from, how far (for the shadow ray)
// and its color there.
struct LightSample {
  Vec3 to_light;  // unit
  float distance;
  Vec3 color;
};

inline LightSample sample_light(const Light& light, Vec3 p) {
  if (light.kind == Light::Kind::kDirectional) {
    return {light.vector, std::numeric_limits<float>::infinity(), light.color};
  }
  Vec3 d = light.vector - p;
  float dist2 = dot(d, d);
  float dist = std::sqrt(dist2);
  return {d / dist, dist, light.color / dist2};
}

}  // namespace nerds::scenes
