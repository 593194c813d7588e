// Direct lighting at a surface point: emission, ambient and every light that is not
// shadowed, plus mirror reflections traced recursively.
#pragma once

#include "renderer/math/vec3.h"
#include "scenes/generator/scene.h"

namespace nerds::scenes {

// Mirror bounces followed before a reflected ray just takes the environment's color.
constexpr int kMaxMirrorBounces = 3;

// Linear radiance leaving hit.position toward the viewer (to_viewer: unit, away from the
// surface). Shadow rays start a small distance off the surface to avoid self-hits.
// `bounces_left` limits mirror recursion.
Vec3 shade(const Scene& scene, const SceneHit& hit, Vec3 to_viewer, int bounces_left = kMaxMirrorBounces);

// Linear radiance arriving along a ray: the shaded nearest surface, or the environment.
Vec3 trace(const Scene& scene, const Ray& ray, int bounces_left);

}  // namespace nerds::scenes
