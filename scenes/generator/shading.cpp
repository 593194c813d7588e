#include "scenes/generator/shading.h"

#include <limits>

namespace nerds::scenes {

namespace {
// Shadow-ray offset, in scene units: scenes span a few units, floats carry ~1e-7 relative.
constexpr float kShadowBias = 1e-4f;
}  // namespace

Vec3 shade(const Scene& scene, const SceneHit& hit, Vec3 to_viewer, int bounces_left) {
  const Material& material = scene.materials()[hit.material];
  Vec3 albedo = material.albedo.eval(hit.position);
  Vec3 radiance = scene.ambient() * albedo;
  if (material.emissive) radiance = radiance + material.emission.eval(hit.position);
  Ray shadow_ray;
  shadow_ray.origin = hit.position + hit.normal * kShadowBias;
  for (const Light& light : scene.lights()) {
    LightSample sample = sample_light(light, hit.position);
    if (dot(hit.normal, sample.to_light) <= 0.f) continue;  // light behind the surface
    shadow_ray.dir = sample.to_light;
    if (scene.occluded(shadow_ray, sample.distance)) continue;
    radiance = radiance + sample.color * reflectance(material, albedo, hit.normal, sample.to_light, to_viewer);
  }
  if (material.mirror > 0.f) {
    // Perfect reflection of the viewing direction about the normal.
    Ray reflected;
    reflected.origin = shadow_ray.origin;
    reflected.dir = normalize(hit.normal * (2.f * dot(hit.normal, to_viewer)) - to_viewer);
    Vec3 seen = bounces_left > 0 ? trace(scene, reflected, bounces_left - 1) : scene.environment().eval(reflected.dir);
    radiance = radiance * (1.f - material.mirror) + seen * material.mirror;
  }
  return radiance;
}

Vec3 trace(const Scene& scene, const Ray& ray, int bounces_left) {
  SceneHit hit;
  if (!scene.intersect(ray, std::numeric_limits<float>::infinity(), &hit)) return scene.environment().eval(ray.dir);
  return shade(scene, hit, -ray.dir, bounces_left);
}

}  // namespace nerds::scenes
