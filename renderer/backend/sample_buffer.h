// The samples a ray marcher emits, structure-of-arrays, as the network and the compositing
// read them: network position and direction (3 floats each), distance, step, the cone
// radius of the sample's pixel (Mip-NeRF's footprint, for the integrated encoding) and the
// direction of the ray in the box along which the sample was placed (3 floats: the frustum's
// axis; the same as the direction unless a warp such as NDC bends rays, see sampling_ray.h).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "renderer/math/contracted_footprint.h"
#include "renderer/math/footprint_kind.h"
#include "renderer/math/positional_encoding.h"
#include "renderer/math/pixel_cone.h"
#include "renderer/math/sampling_ray.h"
#include "renderer/math/vec3.h"
#include "renderer/math/zip_multisample.h"

namespace nerds {

// Mip-NeRF's cone radius per unit distance along a ray through a pixel of focal length fx
// (renderer/math/pixel_cone.h, the one formula). Mip-NeRF measures t as depth; for our unit
// directions it is distance, which differs by cos(angle to the optical axis): we take the
// on-axis value (at most a few % off at the image corners, and the same at training and
// render time).
inline float pixel_cone_radius(float fx) { return cone_radius_per_unit_distance(fx); }

struct SampleBuffer {
  std::vector<float> pos, dir, t, dt, radius, axis;

  void clear() {
    pos.clear();
    dir.clear();
    t.clear();
    dt.clear();
    radius.clear();
    axis.clear();
  }
  int size() const { return static_cast<int>(t.size()); }
  void resize(int n) {
    const size_t n1 = static_cast<size_t>(n), n3 = 3 * n1;
    pos.resize(n3);
    dir.resize(n3);
    t.resize(n1);
    dt.resize(n1);
    radius.resize(n1);
    axis.resize(n3);
  }
  // Samples [first, first + count) of `src` to [dst, dst + count) of this buffer (sized for them).
  void copy_from(int dst, const SampleBuffer& src, int first, int count) {
    const auto copy = [&](const std::vector<float>& a, std::vector<float>& b, int width) {
      std::copy_n(a.begin() + static_cast<size_t>(first) * width, static_cast<size_t>(count) * width,
                  b.begin() + static_cast<size_t>(dst) * width);
    };
    copy(src.pos, pos, 3);
    copy(src.dir, dir, 3);
    copy(src.t, t, 1);
    copy(src.dt, dt, 1);
    copy(src.radius, radius, 1);
    copy(src.axis, axis, 3);
  }
  // d: the direction the network's color stage sees; box_dir: the ray's direction in the box.
  void push(float ts, float dts, Vec3 network_pos, Vec3 d, float cone_radius, Vec3 box_dir) {
    pos.insert(pos.end(), {network_pos.x, network_pos.y, network_pos.z});
    dir.insert(dir.end(), {d.x, d.y, d.z});
    t.push_back(ts);
    dt.push_back(dts);
    radius.push_back(cone_radius);
    axis.insert(axis.end(), {box_dir.x, box_dir.y, box_dir.z});
  }
  void push(float ts, float dts, Vec3 network_pos, Vec3 d, float cone_radius = 0.f) {
    push(ts, dts, network_pos, d, cone_radius, d);
  }
};

// Each sample's conical frustum [t - dt/2, t + dt/2] as a Gaussian (Mip-NeRF Eq. 7-8), in
// network coordinates ([0,1]^3 of the box: lengths scale by 0.5/box_half, variances by its
// square): mean (3 each; the sample's position moved along the ray to the frustum's
// centroid) and the covariance's diagonal (3 each), the inputs of the IPE. On contracted
// rays, the Gaussian carried through the contraction (contracted_footprint.h, Eq. 9).
inline void frustum_gaussians(const SampleBuffer& s, float box_half, const WarpSettings& warp, std::vector<float>* mean,
                              std::vector<float>* var) {
  const int n = s.size();
  const float scale = 0.5f / box_half;
  mean->resize(3 * static_cast<size_t>(n));
  var->resize(3 * static_cast<size_t>(n));
  const bool contracted = warp.kind == WarpKind::Contract;
  for (int i = 0; i < n; ++i) {
    const size_t j = 3 * static_cast<size_t>(i);
    const Vec3 d = make_vec3(s.axis[j], s.axis[j + 1], s.axis[j + 2]);
    if (contracted) {
      Vec3 m, v;
      contracted_frustum_gaussian(warp.contract, make_vec3(s.pos[j], s.pos[j + 1], s.pos[j + 2]), s.t[i], s.dt[i],
                                  s.radius[i], d, &m, &v);
      for (int a = 0; a < 3; ++a) {
        (*mean)[j + a] = m[a];
        (*var)[j + a] = v[a];
      }
      continue;
    }
    const FrustumGaussian g = conical_frustum(s.t[i] - 0.5f * s.dt[i], s.t[i] + 0.5f * s.dt[i], s.radius[i]);
    Vec3 m, v;  // relative to the sample's position, in engine units
    frustum_to_world(make_vec3(0.f, 0.f, 0.f), d, g, &m, &v);
    const Vec3 shift = m - d * s.t[i];
    for (int a = 0; a < 3; ++a) {
      (*mean)[j + a] = s.pos[j + a] + shift[a] * scale;
      (*var)[j + a] = v[a] * scale * scale;
    }
  }
}

// Zip-NeRF's points of each sample (zip_multisample.h: K = 6 multisamples or the sample's own
// point, 4 floats each: position in network coordinates and isotropic scale), the footprint of
// the hash grid with encoding.zip_*; on contracted rays each point contracted and its scale
// with it (contracted_footprint.h).
inline void zip_footprints(const SampleBuffer& s, float box_half, const WarpSettings& warp, int K,
                           std::vector<float>* points) {
  const int n = s.size();
  const float to_network = 0.5f / box_half;
  points->resize(static_cast<size_t>(n) * 4 * K);
  const bool contracted = warp.kind == WarpKind::Contract;
  for (int i = 0; i < n; ++i) {
    const size_t j = 3 * static_cast<size_t>(i);
    const Vec3 axis = make_vec3(s.axis[j], s.axis[j + 1], s.axis[j + 2]);
    const Vec3 pos = make_vec3(s.pos[j], s.pos[j + 1], s.pos[j + 2]);
    float* out = points->data() + static_cast<size_t>(i) * 4 * K;
    if (contracted)
      contracted_zip_points(warp.contract, pos, s.t[i], s.dt[i], s.radius[i], axis, K, out);
    else
      zip_sample_points(s.t[i], s.dt[i], s.radius[i], axis, pos, to_network, K, out);
  }
}

// What an encoding that reads footprints of `kind` gets for the samples: the positions it
// returns (the Gaussians' means for Mip-NeRF's IPE, else the samples' own) and the footprints
// in *footprint (frustum_gaussians' variances, or zip_footprints' points).
inline const float* encoding_footprints(FootprintKind kind, const SampleBuffer& s, float box_half,
                                        const WarpSettings& warp, std::vector<float>* mean,
                                        std::vector<float>* footprint) {
  if (kind == FootprintKind::Gaussian) {
    frustum_gaussians(s, box_half, warp, mean, footprint);
    return mean->data();
  }
  zip_footprints(s, box_half, warp, zip_points_per_sample(kind), footprint);
  return s.pos.data();
}

}  // namespace nerds
