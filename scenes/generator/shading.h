// Direct lighting at a surface point: ambient plus every light that is not shadowed.
#pragma once

#include "renderer/math/vec3.h"
#include "scenes/generator/scene.h"

namespace nerds::scenes {

// Linear radiance leaving hit.position toward the viewer (to_viewer: unit, away from the
// surface). Shadow rays start a small distance off the surface to avoid self-hits.
Vec3 shade(const Scene& scene, const SceneHit& hit, Vec3 to_viewer);

}  // namespace nerds::scenes
