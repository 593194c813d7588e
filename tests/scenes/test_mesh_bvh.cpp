// Triangle meshes and the BVH: hits through the hierarchy match testing every triangle,
// analytic hits on known geometry, procedural meshes and OBJ parsing.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "renderer/error.h"
#include "scenes/generator/mesh.h"
#include "scenes/generator/mesh_builders.h"
#include "scenes/generator/random.h"
#include "scenes/generator/scene.h"
#include "tests/test_support/numeric.h"

using namespace nerds;
using namespace nerds::scenes;

namespace {

using nerds_test::kInfF;


// The nearest hit by testing every triangle: the reference for the BVH.
bool brute_force_hit(const MeshData& mesh, const Ray& ray, float* t_hit) {
  float best = kInfF;
  for (const auto& f : mesh.triangles) {
    float t, u, v;
    if (intersect_triangle(ray, mesh.positions[f[0]], mesh.positions[f[1]], mesh.positions[f[2]], 0.f, best, &t, &u,
                           &v))
      best = t;
  }
  *t_hit = best;
  return best < kInfF;
}

Vec3 random_unit(Rng& rng) {
  for (;;) {
    Vec3 v = make_vec3(2.f * rng.uniform() - 1.f, 2.f * rng.uniform() - 1.f, 2.f * rng.uniform() - 1.f);
    float l = length(v);
    if (l > 0.1f && l <= 1.f) return v / l;
  }
}

}  // namespace

TEST_CASE("a triangle mesh hit through the BVH matches testing every triangle") {
  // A torus and a coil spring in one mesh: thousands of triangles, thin parts, many overlaps.
  MeshData mesh = make_torus(0.8f, 0.2f, 48, 12);
  MeshData spring = make_helix(0.3f, 1.0f, 6.f, 0.02f, 6);
  const int offset = static_cast<int>(mesh.positions.size());
  mesh.positions.insert(mesh.positions.end(), spring.positions.begin(), spring.positions.end());
  mesh.normals.insert(mesh.normals.end(), spring.normals.begin(), spring.normals.end());
  for (auto f : spring.triangles) mesh.triangles.push_back({f[0] + offset, f[1] + offset, f[2] + offset});
  const TriangleMesh shape(mesh);
  REQUIRE(shape.triangle_count() > 2000);

  Rng rng(42);
  int hits = 0;
  for (int i = 0; i < 3000; ++i) {
    // Rays from a sphere of radius 3 toward random points near the mesh.
    Ray ray;
    ray.origin = random_unit(rng) * 3.f;
    Vec3 aim = make_vec3(rng.uniform() - 0.5f, rng.uniform() - 0.5f, rng.uniform()) * 1.6f;
    ray.dir = normalize(aim - ray.origin);
    float expected;
    const bool want = brute_force_hit(mesh, ray, &expected);
    SurfaceHit hit;
    const bool got = shape.intersect(ray, 0.f, kInfF, &hit);
    REQUIRE(got == want);
    if (got) {
      ++hits;
      CHECK(hit.t == doctest::Approx(expected).epsilon(1e-6));
      CHECK(length(hit.normal) == doctest::Approx(1.f).epsilon(1e-4));
      CHECK(dot(hit.normal, ray.dir) < 0.f);  // faces the ray
    }
  }
  CHECK(hits > 500);
}

TEST_CASE("a mesh quad is hit where the plane says, with the flat normal, and t_max is respected") {
  MeshData quad;
  quad.positions = {make_vec3(-1.f, -1.f, 0.f), make_vec3(1.f, -1.f, 0.f), make_vec3(1.f, 1.f, 0.f),
                    make_vec3(-1.f, 1.f, 0.f)};
  quad.triangles = {{0, 1, 2}, {0, 2, 3}};
  const TriangleMesh shape(quad);
  SurfaceHit hit;
  const Ray down{make_vec3(0.3f, -0.4f, 2.f), make_vec3(0.f, 0.f, -1.f)};
  REQUIRE(shape.intersect(down, 0.f, kInfF, &hit));
  CHECK(hit.t == doctest::Approx(2.f));
  CHECK(hit.normal.z == doctest::Approx(1.f));
  CHECK_FALSE(shape.intersect(down, 0.f, 1.5f, &hit));
  const Ray up{make_vec3(0.3f, -0.4f, -2.f), make_vec3(0.f, 0.f, 1.f)};  // from below: two-sided
  REQUIRE(shape.intersect(up, 0.f, kInfF, &hit));
  CHECK(hit.normal.z == doctest::Approx(-1.f));
  CHECK_FALSE(shape.intersect({make_vec3(1.5f, 0.f, 2.f), make_vec3(0.f, 0.f, -1.f)}, 0.f, kInfF, &hit));
}

TEST_CASE("a torus mesh approximates the analytic torus and transforms move it") {
  MeshData torus = make_torus(1.f, 0.25f, 128, 32);
  MeshTransform move;
  move.rotate_deg = make_vec3(90.f, 0.f, 0.f);  // the ring now stands in the x-z plane
  move.translate = make_vec3(0.f, 0.f, 2.f);
  apply_transform(move, &torus);
  const TriangleMesh shape(torus);
  SurfaceHit hit;
  // Along +y through the ring's side at x = 1, z = 2: the tube's near side is at y = -0.25.
  REQUIRE(shape.intersect({make_vec3(1.f, -5.f, 2.f), make_vec3(0.f, 1.f, 0.f)}, 0.f, kInfF, &hit));
  CHECK(hit.t == doctest::Approx(4.75f).epsilon(1e-3));
  CHECK(hit.normal.y == doctest::Approx(-1.f).epsilon(1e-3));
  // Through the hole (x = 0, z = 2): no hit.
  CHECK_FALSE(shape.intersect({make_vec3(0.f, -5.f, 2.f), make_vec3(0.f, 1.f, 0.f)}, 0.f, kInfF, &hit));
  Aabb box = shape.bounds();
  CHECK(box.lo.z == doctest::Approx(2.f - 1.25f).epsilon(1e-3));
  CHECK(box.hi.y == doctest::Approx(0.25f).epsilon(1e-3));
}

TEST_CASE("a scene's BVH over objects finds the same nearest hits as testing every object") {
  Scene linear, accelerated;
  Material m;
  for (Scene* s : {&linear, &accelerated}) s->add_material(m);
  Rng rng(7);
  for (int i = 0; i < 60; ++i) {
    auto sphere = std::make_shared<Sphere>(random_unit(rng) * (2.f * rng.uniform()), 0.05f + 0.2f * rng.uniform());
    linear.add(sphere, 0);
    accelerated.add(sphere, 0);
  }
  auto ground = std::make_shared<Plane>(make_vec3(0.f, 0.f, -2.5f), make_vec3(0.f, 0.f, 1.f));
  linear.add(ground, 0);
  accelerated.add(ground, 0);
  accelerated.prepare();
  for (int i = 0; i < 2000; ++i) {
    Ray ray{random_unit(rng) * 4.f, Vec3{}};
    ray.dir = normalize(random_unit(rng) - ray.origin * 0.25f);
    SceneHit a, b;
    const bool hit_a = linear.intersect(ray, kInfF, &a), hit_b = accelerated.intersect(ray, kInfF, &b);
    REQUIRE(hit_a == hit_b);
    if (hit_a) CHECK(a.t == b.t);
    CHECK(linear.occluded(ray, 3.f) == accelerated.occluded(ray, 3.f));
  }
}

TEST_CASE("parse_obj reads vertices and triangulates polygons, and bad OBJ text is an InputError") {
  const std::string square = "# a unit square as one quad\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\n";
  MeshData mesh = parse_obj(square, "square.obj");
  CHECK(mesh.positions.size() == 4);
  CHECK(mesh.triangles.size() == 2);
  CHECK_THROWS_AS(parse_obj("v 0 0 0\n", "empty.obj"), InputError);
  MeshData broken;
  broken.positions = {Vec3{}, make_vec3(1.f, 0.f, 0.f)};
  broken.triangles = {{0, 1, 2}};
  CHECK_THROWS_AS(TriangleMesh(broken, "broken"), InputError);
}
