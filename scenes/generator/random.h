// Deterministic random numbers for the scene maker: the same seed gives the same scene bytes
// whatever the thread count, because every pixel and every camera rig seeds its own stream.
#pragma once

#include <cstdint>

namespace nerds::scenes {

// SplitMix64 finalizer: a strong 64-bit mix, used to derive independent stream seeds.
inline uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// PCG32 (O'Neill): small state, good statistics, cheap enough to create one per pixel.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(mix64(seed)) { next_u32(); }
  uint32_t next_u32() {
    uint64_t old = state_;
    state_ = old * 6364136223846793005ull + 1442695040888963407ull;
    uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = static_cast<uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
  }
  // Uniform in [0, 1): the top 24 bits, exactly representable as a float.
  float uniform() { return static_cast<float>(next_u32() >> 8) * (1.f / 16777216.f); }

 private:
  uint64_t state_;
};

}  // namespace nerds::scenes
