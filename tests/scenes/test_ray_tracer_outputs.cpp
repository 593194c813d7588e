// Analytic checks of what the ray tracer writes besides color (per-pixel depth and normals)
// and of the shading the sample scenes added: mirrors, emission, shadowless objects, exposure.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "scenes/generator/color.h"
#include "scenes/generator/ray_tracer.h"
#include "scenes/generator/scene.h"
#include "scenes/generator/shading.h"
#include "scenes/generator/view_camera.h"
#include "tests/test_support/numeric.h"

using namespace nerds;
using namespace nerds::scenes;

namespace {

using nerds_test::kInfF;


Scene white_sphere_scene() {
  Scene scene;
  Material white;
  white.albedo = Texture::solid(make_vec3(1.f, 1.f, 1.f));
  scene.add(std::make_unique<Sphere>(make_vec3(0.f, 0.f, 0.f), 1.f), scene.add_material(white));
  scene.add_light(Light::directional(make_vec3(0.f, 0.f, 1.f), make_vec3(1.f, 1.f, 1.f)));
  scene.prepare();
  return scene;
}

}  // namespace

TEST_CASE("unit sphere: depth and normal maps hold the analytic values at known pixels") {
  const Scene scene = white_sphere_scene();
  const int size = 41;
  const ViewCamera camera =
      make_view_camera(look_at(make_vec3(0.f, 0.f, 4.f), {}, make_vec3(0.f, 1.f, 0.f)), size, size, 0.6911112f);
  const RenderedView view = render_view(scene, camera, RenderSettings{});
  const float f = camera.intrinsics.fx, c = camera.intrinsics.cx;
  for (int px : {20, 24, 27, 30, 38}) {
    CAPTURE(px);
    // Pixel center px + 0.5 on the middle row: direction (x, 0, -1) normalized, x = (px + 0.5 - c) / f.
    const float x = (px + 0.5f - c) / f;
    const Vec3 dir = normalize(make_vec3(x, 0.f, -1.f));
    const Vec3 origin = make_vec3(0.f, 0.f, 4.f);
    const float b = dot(origin, dir), disc = b * b - (dot(origin, origin) - 1.f);
    const size_t pixel = static_cast<size_t>(20) * size + px;
    if (disc < 0.f) {
      CHECK(view.depth[pixel] == 0.f);
      CHECK(length(view.normals[pixel]) == 0.f);
      continue;
    }
    const float t = -b - std::sqrt(disc);
    const Vec3 p = origin + dir * t;
    CHECK(view.depth[pixel] == doctest::Approx(4.f - p.z).epsilon(1e-4));  // axial depth
    CHECK(view.normals[pixel].x == doctest::Approx(p.x).epsilon(1e-4));
    CHECK(view.normals[pixel].y == doctest::Approx(p.y).epsilon(1e-4));
    CHECK(view.normals[pixel].z == doctest::Approx(p.z).epsilon(1e-4));
  }
}

TEST_CASE("a mirror shows the environment in the reflected direction, and exposure scales radiance") {
  Scene scene;
  Material mirror;
  mirror.albedo = Texture::solid(make_vec3(0.f, 0.f, 0.f));
  mirror.mirror = 1.f;
  scene.add(std::make_unique<Plane>(Vec3{}, make_vec3(0.f, 0.f, 1.f)), scene.add_material(mirror));
  Environment sky;
  sky.enabled = true;
  sky.zenith = make_vec3(0.1f, 0.2f, 0.9f);
  sky.horizon = make_vec3(0.9f, 0.8f, 0.6f);
  sky.nadir = make_vec3(0.1f, 0.1f, 0.1f);
  scene.set_environment(sky);
  scene.prepare();
  for (float elevation : {0.2f, 0.6f, 1.2f}) {
    const Ray ray{make_vec3(0.f, 0.f, 1.f), normalize(make_vec3(std::cos(elevation), 0.f, -std::sin(elevation)))};
    const Vec3 reflected = make_vec3(ray.dir.x, ray.dir.y, -ray.dir.z);
    const Vec3 seen = trace(scene, ray, kMaxMirrorBounces);
    CHECK(seen.x == doctest::Approx(sky.eval(reflected).x).epsilon(1e-5));
    CHECK(seen.z == doctest::Approx(sky.eval(reflected).z).epsilon(1e-5));
  }
  // Looking straight down the mirror shows the zenith.
  CHECK(trace(scene, {make_vec3(0.f, 0.f, 1.f), make_vec3(0.f, 0.f, -1.f)}, 1).z == doctest::Approx(0.9f));

  // A camera ray that misses everything stays transparent even with an environment.
  const Scene sphere = white_sphere_scene();
  const ViewCamera camera =
      make_view_camera(look_at(make_vec3(0.f, 0.f, 4.f), {}, make_vec3(0.f, 1.f, 0.f)), 9, 9, 0.6911112f);
  RenderSettings dim;
  dim.exposure = 0.25f;
  const RenderedView full = render_view(sphere, camera, RenderSettings{}), dark = render_view(sphere, camera, dim);
  const size_t center = (4 * 9 + 4) * 4;
  CHECK(static_cast<int>(full.rgba.pixels[center]) >= 253);  // jittered samples: almost head-on
  // The white surface lit (almost) head-on at exposure 1/4: about sRGB of 0.25.
  CHECK(std::abs(static_cast<int>(dark.rgba.pixels[center]) - to_u8(linear_to_srgb(0.25f))) <= 2);
  CHECK(static_cast<int>(dark.rgba.pixels[3]) == 0);
}

TEST_CASE("an emissive dome that casts no shadow lights nothing and blocks no light") {
  // A ground plane under a sun, inside a big emissive sphere that must not shadow it.
  Scene scene;
  Material ground;
  ground.albedo = Texture::solid(make_vec3(1.f, 1.f, 1.f));
  Material sky;
  sky.albedo = Texture::solid(make_vec3(0.f, 0.f, 0.f));
  sky.emissive = true;
  sky.emission = Texture::solid(make_vec3(0.5f, 0.5f, 0.5f));
  scene.add(std::make_unique<Plane>(Vec3{}, make_vec3(0.f, 0.f, 1.f)), scene.add_material(ground));
  scene.add(std::make_unique<Sphere>(Vec3{}, 50.f), scene.add_material(sky), /*casts_shadow=*/false);
  scene.add_light(Light::directional(make_vec3(0.f, 0.f, 1.f), make_vec3(1.f, 1.f, 1.f)));
  scene.prepare();
  const Ray down{make_vec3(0.f, 0.f, 3.f), make_vec3(0.f, 0.f, -1.f)};
  CHECK(trace(scene, down, 0).x == doctest::Approx(1.f));  // the full sun: not shadowed by the dome
  const Ray up{make_vec3(0.f, 0.f, 3.f), make_vec3(0.f, 0.f, 1.f)};
  SceneHit hit;
  REQUIRE(scene.intersect(up, kInfF, &hit));
  CHECK(hit.t == doctest::Approx(47.f));
  CHECK(trace(scene, up, 0).x == doctest::Approx(srgb_to_linear(0.5f)).epsilon(1e-5));  // its own emission only
}
