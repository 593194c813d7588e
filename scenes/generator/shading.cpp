#include "scenes/generator/shading.h"

namespace nerds::scenes {

namespace {
// Shadow-ray offset, in scene units: scenes span a few units, floats carry ~1e-7 relative.
constexpr float kShadowBias = 1e-4f;
}  // namespace

Vec3 shade(const Scene& scene, const SceneHit& hit, Vec3 to_viewer) {
  const Material& material = scene.materials()[hit.material];
  Vec3 albedo = material.albedo.eval(hit.position);
  Vec3 radiance = scene.ambient() * albedo;
  Ray shadow_ray;
  shadow_ray.origin = hit.position + hit.normal * kShadowBias;
  for (const Light& light : scene.lights()) {
    LightSample sample = sample_light(light, hit.position);
    if (dot(hit.normal, sample.to_light) <= 0.f) continue;  // light behind the surface
    shadow_ray.dir = sample.to_light;
    if (scene.occluded(shadow_ray, sample.distance)) continue;
    radiance = radiance +
               sample.color * reflectance(material, albedo, hit.normal, sample.to_light, to_viewer);
  }
  return radiance;
}

}  // namespace nerds::scenes
