// Procedural solid textures: the albedo is a function of the world-space hit point, so no
// shape needs a uv parametrization. Colors are given in sRGB and kept in linear light.
#pragma once

#include "renderer/math/vec3.h"

namespace nerds::scenes {

class Texture {
 public:
  static Texture solid(Vec3 srgb);
  // 3D checkerboard of cubes of side `cell`; `offset` shifts the cell boundaries (e.g. off a
  // flat face, where a boundary would flicker between the two colors).
  static Texture checker(Vec3 srgb_a, Vec3 srgb_b, float cell, Vec3 offset = {});
  // Parallel bands of width period/2 each, alternating along direction `axis`.
  static Texture stripes(Vec3 srgb_a, Vec3 srgb_b, Vec3 axis, float period);

  // Linear albedo at world point p.
  Vec3 eval(Vec3 p) const;

 private:
  enum class Kind { kSolid, kChecker, kStripes };
  Texture(Kind kind, Vec3 srgb_a, Vec3 srgb_b, Vec3 vector, float size);

  Kind kind_;
  Vec3 a_, b_;   // linear colors
  Vec3 vector_;  // checker: offset; stripes: unit axis
  float size_;   // checker: cell side; stripes: period
};

}  // namespace nerds::scenes
