// Scalar helpers for hot loops. std::fmin/fminf carry NaN-handling semantics that keep GCC
// from inlining them without -ffast-math (a libm call per sample); these plain comparisons
// inline everywhere and are what CUDA's fminf compiles to for non-NaN inputs.
#pragma once

#include "renderer/math/hd.h"

namespace nerds {

NERDS_HD float min_f(float a, float b) { return a < b ? a : b; }
NERDS_HD float max_f(float a, float b) { return a > b ? a : b; }
NERDS_HD float clamp_f(float x, float lo, float hi) { return min_f(max_f(x, lo), hi); }
NERDS_HD float abs_f(float x) { return x < 0.f ? -x : x; }

}  // namespace nerds
