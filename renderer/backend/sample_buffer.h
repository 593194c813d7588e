// The samples a ray marcher emits, structure-of-arrays, as the network and the compositing
// read them: network position and direction (3 floats each), distance and step.
#pragma once

#include <vector>

#include "renderer/math/vec3.h"

namespace nerds {

struct SampleBuffer {
  std::vector<float> pos, dir, t, dt;

  void clear() {
    pos.clear();
    dir.clear();
    t.clear();
    dt.clear();
  }
  int size() const { return static_cast<int>(t.size()); }
  void push(float ts, float dts, Vec3 network_pos, Vec3 d) {
    pos.insert(pos.end(), {network_pos.x, network_pos.y, network_pos.z});
    dir.insert(dir.end(), {d.x, d.y, d.z});
    t.push_back(ts);
    dt.push_back(dts);
  }
};

}  // namespace nerds
