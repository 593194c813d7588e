#include "scenes/generator/texture.h"

#include <cmath>

#include "scenes/generator/color.h"

namespace nerds::scenes {

Texture::Texture(Kind kind, Vec3 srgb_a, Vec3 srgb_b, Vec3 vector, float size)
    : kind_(kind), a_(srgb_to_linear(srgb_a)), b_(srgb_to_linear(srgb_b)), vector_(vector), size_(size) {}

Texture Texture::solid(Vec3 srgb) { return Texture(Kind::kSolid, srgb, srgb, {}, 1.f); }

Texture Texture::checker(Vec3 srgb_a, Vec3 srgb_b, float cell, Vec3 offset) {
  return Texture(Kind::kChecker, srgb_a, srgb_b, offset, cell);
}

Texture Texture::stripes(Vec3 srgb_a, Vec3 srgb_b, Vec3 axis, float period) {
  return Texture(Kind::kStripes, srgb_a, srgb_b, normalize(axis), period);
}

Vec3 Texture::eval(Vec3 p) const {
  switch (kind_) {
    case Kind::kSolid:
      return a_;
    case Kind::kChecker: {
      Vec3 q = (p + vector_) / size_;
      long parity = static_cast<long>(std::floor(q.x)) + static_cast<long>(std::floor(q.y)) +
                    static_cast<long>(std::floor(q.z));
      return (parity & 1) ? b_ : a_;
    }
    case Kind::kStripes: {
      float u = dot(p, vector_) / size_;
      return (u - std::floor(u)) < 0.5f ? a_ : b_;
    }
  }
  return a_;
}

}  // namespace nerds::scenes
