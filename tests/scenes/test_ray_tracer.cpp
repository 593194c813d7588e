// Analytic checks of the scene maker's ray tracer: hits, normals, silhouettes, depth and
// shadows against what the geometry says.
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


// A white matte unit sphere at the origin; a camera on +z at distance 4 looking at it.
Scene unit_sphere_scene() {
  Scene scene;
  Material white;
  white.albedo = Texture::solid(make_vec3(1.f, 1.f, 1.f));
  scene.add(std::make_unique<Sphere>(make_vec3(0.f, 0.f, 0.f), 1.f), scene.add_material(white));
  scene.add_light(Light::directional(make_vec3(0.f, 0.f, 1.f), make_vec3(1.f, 1.f, 1.f)));
  return scene;
}

ViewCamera camera_on_z(int size, float fov) {
  return make_view_camera(look_at(make_vec3(0.f, 0.f, 4.f), {}, make_vec3(0.f, 1.f, 0.f)), size, size, fov);
}

}  // namespace

TEST_CASE("look_at builds an OpenGL camera-to-world pose looking at the target") {
  Pose pose = look_at(make_vec3(3.f, 0.f, 0.f), {}, make_vec3(0.f, 0.f, 1.f));
  Vec3 forward = -pose.rotate(make_vec3(0.f, 0.f, 1.f));
  Vec3 up = pose.rotate(make_vec3(0.f, 1.f, 0.f));
  CHECK(forward.x == doctest::Approx(-1.f));
  CHECK(up.z == doctest::Approx(1.f));
  CHECK(pose.origin().x == doctest::Approx(3.f));
  // Looking straight down along the up vector still gives a valid rotation.
  Pose top = look_at(make_vec3(0.f, 0.f, 4.f), {}, make_vec3(0.f, 0.f, 1.f));
  Vec3 top_forward = -top.rotate(make_vec3(0.f, 0.f, 1.f));
  CHECK(top_forward.z == doctest::Approx(-1.f));
  CHECK(length(top.rotate(make_vec3(1.f, 0.f, 0.f))) == doctest::Approx(1.f));
}

TEST_CASE("unit sphere: the center pixel hits at depth 3 with the normal facing the camera") {
  Scene scene = unit_sphere_scene();
  ViewCamera camera = camera_on_z(33, 0.6911112f);  // odd size: pixel 16's center is the axis
  Ray ray = primary_ray(camera, 16.5f, 16.5f);
  SceneHit hit;
  REQUIRE(scene.intersect(ray, kInfF, &hit));
  CHECK(hit.t == doctest::Approx(3.f).epsilon(1e-5));
  CHECK(hit.normal.z == doctest::Approx(1.f).epsilon(1e-5));
  CHECK(axial_depth(camera, ray, hit.t) == doctest::Approx(3.f).epsilon(1e-5));

  RenderedView view = render_view(scene, camera, RenderSettings{});
  CHECK(view.depth[16 * 33 + 16] == doctest::Approx(3.f).epsilon(1e-5));
  CHECK(view.depth[0] == 0.f);  // corner: background
  // Lit head-on by a white light of color 1: the white surface is exactly white.
  CHECK(static_cast<int>(view.rgba.pixels[(16 * 33 + 16) * 4 + 0]) == 255);
  CHECK(static_cast<int>(view.rgba.pixels[(16 * 33 + 16) * 4 + 3]) == 255);
}

TEST_CASE("unit sphere: the silhouette sits where the tangent ray from the camera says") {
  Scene scene = unit_sphere_scene();
  ViewCamera camera = camera_on_z(33, 0.6911112f);
  const float fx = camera.intrinsics.fx, cx = camera.intrinsics.cx;
  // The tangent cone from distance 4 to a unit sphere has half-angle asin(1/4).
  const float edge_px = cx + fx * std::tan(std::asin(0.25f));
  SceneHit hit;
  Ray inside = primary_ray(camera, edge_px - 1e-3f, 16.5f);
  REQUIRE(scene.intersect(inside, kInfF, &hit));
  CHECK(hit.t == doctest::Approx(std::sqrt(15.f)).epsilon(1e-2));
  // At the tangent point the normal is (sqrt(15)/4, 0, 1/4): perpendicular to the ray.
  CHECK(hit.normal.x == doctest::Approx(std::sqrt(15.f) / 4.f).epsilon(0.02));
  CHECK(hit.normal.z == doctest::Approx(0.25f).epsilon(0.05));
  CHECK_FALSE(scene.intersect(primary_ray(camera, edge_px + 1e-3f, 16.5f), kInfF, &hit));

  // Rendered coverage: a pixel well inside is opaque, one past the edge is empty, and the
  // pixel the edge cuts is partly covered.
  RenderSettings settings;
  settings.samples_per_pixel = 64;
  RenderedView view = render_view(scene, camera, settings);
  auto alpha = [&](int x) { return static_cast<int>(view.rgba.pixels[(16 * 33 + x) * 4 + 3]); };
  const int edge_pixel = static_cast<int>(edge_px);
  const float covered = edge_px - edge_pixel;  // the edge is nearly straight within one pixel
  CHECK(alpha(edge_pixel - 2) == 255);
  CHECK(alpha(edge_pixel + 1) == 0);
  CHECK(alpha(edge_pixel) / 255.f == doctest::Approx(covered).epsilon(0.15));
}

TEST_CASE("a box and a cylinder report the face they are hit on") {
  Box box(make_vec3(-1.f, -1.f, -1.f), make_vec3(1.f, 2.f, 3.f));
  SurfaceHit hit;
  REQUIRE(box.intersect({make_vec3(5.f, 0.f, 0.f), make_vec3(-1.f, 0.f, 0.f)}, 0.f, kInfF, &hit));
  CHECK(hit.t == doctest::Approx(4.f));
  CHECK(hit.normal.x == doctest::Approx(1.f));
  REQUIRE(box.intersect({make_vec3(0.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f)}, 0.f, kInfF, &hit));  // from inside
  CHECK(hit.t == doctest::Approx(3.f));
  CHECK(hit.normal.z == doctest::Approx(1.f));
  CHECK_FALSE(box.intersect({make_vec3(5.f, 5.f, 0.f), make_vec3(-1.f, 0.f, 0.f)}, 0.f, kInfF, &hit));

  Cylinder cylinder(1.f, 0.f, 0.5f, 0.f, 2.f);
  REQUIRE(cylinder.intersect({make_vec3(4.f, 0.f, 1.f), make_vec3(-1.f, 0.f, 0.f)}, 0.f, kInfF, &hit));
  CHECK(hit.t == doctest::Approx(2.5f));
  CHECK(hit.normal.x == doctest::Approx(1.f));
  REQUIRE(cylinder.intersect({make_vec3(1.2f, 0.f, 5.f), make_vec3(0.f, 0.f, -1.f)}, 0.f, kInfF, &hit));
  CHECK(hit.t == doctest::Approx(3.f));
  CHECK(hit.normal.z == doctest::Approx(1.f));
  // Above the top cap, passing beside it: no hit.
  CHECK_FALSE(cylinder.intersect({make_vec3(4.f, 0.f, 2.5f), make_vec3(-1.f, 0.f, 0.f)}, 0.f, kInfF, &hit));
}

TEST_CASE("a sphere's shadow on a plane falls where the light direction projects it") {
  // Ground plane z = 0, sphere of radius 0.5 centered at height 1, sun at 45 degrees
  // toward +x: the shadow is an ellipse centered at (-1, 0) with semi-axes 0.5*sqrt(2)
  // along x and 0.5 along y.
  Scene scene;
  Material ground;
  ground.albedo = Texture::solid(make_vec3(1.f, 1.f, 1.f));
  scene.add(std::make_unique<Plane>(make_vec3(0.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f)), scene.add_material(ground));
  scene.add(std::make_unique<Sphere>(make_vec3(0.f, 0.f, 1.f), 0.5f), scene.add_material(ground));
  const Vec3 sun = normalize(make_vec3(1.f, 0.f, 1.f));
  scene.add_light(Light::directional(sun, make_vec3(1.f, 1.f, 1.f)));
  scene.set_ambient(make_vec3(0.1f, 0.1f, 0.1f));

  // Shade the ground seen from straight above at (x, y): ambient only when in shadow.
  auto ground_radiance = [&](float x, float y) {
    Ray down{make_vec3(x, y, 10.f), make_vec3(0.f, 0.f, -1.f)};
    SceneHit hit;
    REQUIRE(scene.intersect(down, kInfF, &hit));
    REQUIRE(hit.position.z == doctest::Approx(0.f));  // reached the ground, not the sphere
    return shade(scene, hit, -down.dir).x;
  };
  const float lit = 0.1f + sun.z;  // ambient + cos(45 deg)
  const float dark = 0.1f;
  CHECK(ground_radiance(-1.f, 0.f) == doctest::Approx(dark));
  CHECK(ground_radiance(-1.f, 0.45f) == doctest::Approx(dark));
  CHECK(ground_radiance(-1.f, 0.55f) == doctest::Approx(lit));
  CHECK(ground_radiance(-1.65f, 0.f) == doctest::Approx(dark));  // 0.65 < 0.707
  CHECK(ground_radiance(-1.75f, 0.f) == doctest::Approx(lit));   // 0.75 > 0.707
  CHECK(ground_radiance(1.f, 0.f) == doctest::Approx(lit));
}

TEST_CASE("the specular highlight moves with the viewer") {
  Material glossy;
  glossy.albedo = Texture::solid(make_vec3(0.5f, 0.5f, 0.5f));
  glossy.specular = make_vec3(1.f, 1.f, 1.f);
  glossy.shininess = 50.f;
  const Vec3 n = make_vec3(0.f, 0.f, 1.f), albedo = glossy.albedo.eval({});
  const Vec3 to_light = normalize(make_vec3(1.f, 0.f, 1.f));
  const Vec3 mirror = normalize(make_vec3(-1.f, 0.f, 1.f));
  const Vec3 away = normalize(make_vec3(1.f, 0.f, 1.f));
  float diffuse_only = albedo.x * to_light.z;
  CHECK(reflectance(glossy, albedo, n, to_light, mirror).x == doctest::Approx(diffuse_only + to_light.z));
  CHECK(reflectance(glossy, albedo, n, to_light, away).x == doctest::Approx(diffuse_only).epsilon(1e-3));
}

TEST_CASE("rendering is deterministic for a seed and the jitter depends on it") {
  Scene scene = unit_sphere_scene();
  ViewCamera camera = camera_on_z(24, 0.6911112f);
  RenderSettings a;
  a.seed = 7;
  RenderSettings b = a;
  b.seed = 8;
  CHECK(render_view(scene, camera, a).rgba.pixels == render_view(scene, camera, a).rgba.pixels);
  CHECK(render_view(scene, camera, a).rgba.pixels != render_view(scene, camera, b).rgba.pixels);
}
