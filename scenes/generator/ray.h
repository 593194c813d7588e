// A ray of the scene maker's CPU ray tracer.
#pragma once

#include "renderer/math/vec3.h"

namespace nerds::scenes {

struct Ray {
  Vec3 origin;
  Vec3 dir;  // unit length, so the ray parameter t is a distance
  Vec3 at(float t) const { return origin + dir * t; }
};

}  // namespace nerds::scenes
