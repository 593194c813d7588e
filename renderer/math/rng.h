// PCG32 (O'Neill 2014): a small, fast, seedable generator usable on host and device,
// so that a run is reproducible from its seed on either backend.
#pragma once

#include <cstdint>

#include "renderer/math/hd.h"

namespace nerds {

struct Pcg32 {
  uint64_t state = 0x853c49e6748fea9bULL;
  uint64_t inc = 0xda3e39cb94b95bdbULL;

  NERDS_HD Pcg32() {}
  NERDS_HD Pcg32(uint64_t seed, uint64_t stream) {
    state = 0u;
    inc = (stream << 1u) | 1u;
    next_uint();
    state += seed;
    next_uint();
  }
  NERDS_HD uint32_t next_uint() {
    uint64_t old = state;
    state = old * 6364136223846793005ULL + inc;
    uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = static_cast<uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((~rot + 1u) & 31));
  }
  // Uniform float in [0, 1).
  NERDS_HD float next_float() { return (next_uint() >> 8) * (1.0f / 16777216.0f); }
};

}  // namespace nerds
