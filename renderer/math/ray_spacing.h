// Where the proposal sampler spaces a ray's intervals (Mip-NeRF 360, Sec. 2.2, Eq. 11: samples
// are placed in a normalised "s-space" s = g(t) and mapped back to distances t). Without a
// contraction s is t itself. For contracted rays (warp.kind = contract), whose far end lies
// hundreds of radii out, s is linear in t up to the knee and linear in disparity beyond it
// (the piecewise form of grid-based followers, nerfacto's "uniform linear-disparity
// piecewise"; the paper's g(x) = 1/x beyond the near plane), s in [0, 1): half the intervals
// cover the foreground ball's diameter, half everything farther.
#pragma once

#include "renderer/math/hd.h"
#include "renderer/math/sampling_ray.h"

namespace nerds {

struct RaySpacing {
  bool piecewise = false;  // false: s = t
  float knee = 1.f;        // engine distance where disparity spacing starts
};

NERDS_HD RaySpacing ray_spacing(const WarpSettings& warp) {
  RaySpacing s;
  if (warp.kind == WarpKind::Contract) {
    s.piecewise = true;
    s.knee = 2.f * warp.contract.radius;  // the unit ball's diameter
  }
  return s;
}

NERDS_HD float spacing_s(const RaySpacing& sp, float t) {
  if (!sp.piecewise) return t;
  return t <= sp.knee ? 0.5f * t / sp.knee : 1.f - 0.5f * sp.knee / t;
}

NERDS_HD float spacing_t(const RaySpacing& sp, float s) {
  if (!sp.piecewise) return s;
  return s <= 0.5f ? 2.f * s * sp.knee : 0.5f * sp.knee / (1.f - s);
}

}  // namespace nerds
