// Surface materials: a textured Lambertian base plus a Blinn-Phong specular lobe, whose
// highlight moves with the viewer (the view-dependent effect a NeRF must learn), an optional
// perfect mirror part (reflections: strongly view-dependent) and optional emission.
#pragma once

#include <cmath>

#include "renderer/math/vec3.h"
#include "scenes/generator/texture.h"

namespace nerds::scenes {

struct Material {
  Texture albedo = Texture::solid(make_vec3(0.8f, 0.8f, 0.8f));
  Vec3 specular;           // linear reflectance of the highlight; zero = matte
  float shininess = 32.f;  // Blinn-Phong exponent: higher = smaller, sharper highlight
  float mirror = 0.f;      // fraction of the light seen that is a mirror reflection (0..1)
  bool emissive = false;   // when true, `emission` is added regardless of lights and shadows
  Texture emission = Texture::solid(make_vec3(0.f, 0.f, 0.f));
};

// Light reflected toward the viewer per unit light color arriving from `to_light`, at a
// surface point with unit normal n and base color `albedo` (all directions unit, pointing
// away from the surface). Units: a white matte surface facing a light of color c reflects c.
inline Vec3 reflectance(const Material& m, Vec3 albedo, Vec3 n, Vec3 to_light, Vec3 to_viewer) {
  float n_dot_l = dot(n, to_light);
  if (n_dot_l <= 0.f) return {};
  Vec3 result = albedo * n_dot_l;
  if (m.specular.x > 0.f || m.specular.y > 0.f || m.specular.z > 0.f) {
    Vec3 half = normalize(to_light + to_viewer);
    float n_dot_h = dot(n, half);
    if (n_dot_h > 0.f) result = result + m.specular * (std::pow(n_dot_h, m.shininess) * n_dot_l);
  }
  return result;
}

}  // namespace nerds::scenes
