// What a reflected ray sees when it leaves the scene: a sky gradient from the nadir through
// the horizon to the zenith (world z up). Camera rays that miss stay transparent; only mirror
// reflections look it up, so a mirror shows a view-dependent sky.
#pragma once

#include "renderer/math/vec3.h"

namespace nerds::scenes {

struct Environment {
  bool enabled = false;         // off: reflections of the void are black
  Vec3 zenith, horizon, nadir;  // linear colors

  Vec3 eval(Vec3 dir) const {
    if (!enabled) return {};
    float z = dir.z;
    // Sharper toward the horizon, so the gradient reads as a sky with a skyline.
    if (z >= 0.f) {
      float w = 1.f - (1.f - z) * (1.f - z);
      return horizon * (1.f - w) + zenith * w;
    }
    float w = 1.f - (1.f + z) * (1.f + z) * (1.f + z);
    return horizon * (1.f - w) + nadir * w;
  }
};

}  // namespace nerds::scenes
