// The normals a model renders along one ray (Ref-NeRF, Verbin et al. 2022, Sec. 5: the normals
// compared with the true ones by their mean angular error): sum_i w_i n_i over the ray's
// samples, normalized, for
//   density   n_i = -grad(tau)/|grad(tau)| of the raw density, by central differences
//             (ref_nerf_normals.h); any model has them;
//   predicted n'_i of Ref-NeRF's head (field.color = ref_nerf; else not measured).
// The samples are those the ray inspector shows (the run's sampler, no early termination).
#pragma once

#include "renderer/backend/render_types.h"
#include "renderer/math/camera_ray.h"
#include "renderer/math/occupancy.h"
#include "renderer/math/vec3.h"
#include "renderer/techniques/fields/nerf_network.h"

namespace nerds {

struct RayNormals {
  Vec3 density = make_vec3(0.f, 0.f, 0.f);    // unit, or zero where the ray has no weight
  Vec3 predicted = make_vec3(0.f, 0.f, 0.f);  // unit, or zero (none, or no weight)
  bool has_predicted = false;
  float opacity = 0.f;                        // sum_i w_i
};

// A sum of weighted normals as a direction: unit, or zero where the ray has (almost) no weight.
Vec3 unit_or_zero(Vec3 v);

// normal_step: h of the central differences in the box's [0,1] units (field.ref_normal_step).
RayNormals render_ray_normals(const NerfNetwork& network, const OccupancyView& grid, const RenderSettings& settings,
                              const Ray& ray, float normal_step);

}  // namespace nerds
