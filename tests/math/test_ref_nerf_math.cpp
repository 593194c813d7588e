// Ref-NeRF's formulas (renderer/math/integrated_dir_encoding.h, ref_nerf.h): the IDE at zero
// roughness is the plain directional encoding (sh.h's spherical harmonics), its attenuation,
// its orthonormality up to l = 16, its backward by finite differences; the reflection formula
// and the normalisation, tone map and regularizer terms' derivatives.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/integrated_dir_encoding.h"
#include "renderer/math/lr_delay.h"
#include "renderer/math/ref_nerf.h"
#include "renderer/math/sh.h"
#include "tests/test_support/numeric.h"

using namespace nerds;
using nerds_test::Random;

namespace {

Vec3 random_unit(Random& rng) {
  Vec3 v;
  float len = 0.f;
  do {
    v = make_vec3(rng.uniformf(-1.f, 1.f), rng.uniformf(-1.f, 1.f), rng.uniformf(-1.f, 1.f));
    len = length(v);
  } while (len < 0.2f || len > 1.f);
  return v * (1.f / len);
}

}  // namespace

TEST_CASE("IDE: at zero roughness it is the directional encoding (sh.h's harmonics for l = 1, 2)") {
  const IdeTable t = make_ide_table(kMaxIdeDegree);
  REQUIRE(t.terms == ide_term_count(kMaxIdeDegree));
  REQUIRE(ide_width(t.terms) == 72);  // multinerf's deg_view 5: 36 (l, m) pairs, real and imaginary parts
  Random rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    const Vec3 d = random_unit(rng);
    std::vector<float> ide(ide_width(t.terms)), sh(16);
    ide_encode(t, d.x, d.y, d.z, 0.f, ide.data());
    sh_encode(d.x, d.y, d.z, 4, sh.data());
    for (int i = 0; i < t.terms; ++i) {
      const int l = t.l[i], m = t.m[i];
      if (l > 2) continue;  // sh.h stops at l = 3; the IDE's next degree is l = 4
      const float re = ide[i], im = ide[t.terms + i];
      if (m == 0) {
        CHECK(re == doctest::Approx(sh[l * l + l]).epsilon(1e-5));
        CHECK(im == 0.f);
      } else {
        CHECK(std::sqrt(2.f) * re == doctest::Approx(sh[l * l + l + m]).epsilon(1e-4));
        CHECK(std::sqrt(2.f) * im == doctest::Approx(sh[l * l + l - m]).epsilon(1e-4));
      }
    }
  }
}

TEST_CASE("IDE: roughness attenuates degree l by exp(-l(l+1)/2 * roughness) (Eq. 7)") {
  const IdeTable t = make_ide_table(kMaxIdeDegree);
  const Vec3 d = normalize(make_vec3(0.3f, -0.5f, 0.8f));
  std::vector<float> sharp(ide_width(t.terms)), rough(ide_width(t.terms));
  ide_encode(t, d.x, d.y, d.z, 0.f, sharp.data());
  ide_encode(t, d.x, d.y, d.z, 0.05f, rough.data());
  for (int i = 0; i < t.terms; ++i) {
    const float a = std::exp(-0.5f * t.l[i] * (t.l[i] + 1) * 0.05f);
    CHECK(rough[i] == doctest::Approx(sharp[i] * a).epsilon(1e-5).scale(1e-6));
    CHECK(rough[t.terms + i] == doctest::Approx(sharp[t.terms + i] * a).epsilon(1e-5).scale(1e-6));
  }
}

TEST_CASE("IDE: the complex harmonics up to l = 16 are orthonormal over the sphere") {
  // A Fibonacci lattice of the sphere: equal-area points, so the mean times 4 pi is the integral.
  const IdeTable t = make_ide_table(kMaxIdeDegree);
  const int n = 40000;
  std::vector<double> norm(t.terms, 0.0), cross(t.terms, 0.0);
  std::vector<float> v(ide_width(t.terms));
  const double golden = 3.14159265358979323846 * (3.0 - std::sqrt(5.0));
  for (int k = 0; k < n; ++k) {
    const double z = 1.0 - (2.0 * k + 1.0) / n, r = std::sqrt(1.0 - z * z), phi = golden * k;
    ide_encode(t, static_cast<float>(r * std::cos(phi)), static_cast<float>(r * std::sin(phi)), static_cast<float>(z),
               0.f, v.data());
    for (int i = 0; i < t.terms; ++i) {
      norm[i] += static_cast<double>(v[i]) * v[i] + static_cast<double>(v[t.terms + i]) * v[t.terms + i];
      if (i + 1 < t.terms) cross[i] += static_cast<double>(v[i]) * v[i + 1];  // a neighbour in the list
    }
  }
  const double area = 4.0 * 3.14159265358979323846 / n;
  for (int i = 0; i < t.terms; ++i) {
    CAPTURE(t.l[i]);
    CAPTURE(t.m[i]);
    CHECK(norm[i] * area == doctest::Approx(1.0).epsilon(1e-2));
    CHECK(std::fabs(cross[i] * area) < 1e-2);
  }
}

TEST_CASE("IDE: backward matches finite differences in the direction and the roughness") {
  const IdeTable t = make_ide_table(3);  // l = 1, 2, 4: float differences of l = 16 drown in rounding
  Random rng(11);
  const int W = ide_width(t.terms);
  nerds_test::GradientCheck check;
  for (int trial = 0; trial < 10; ++trial) {
    float x[4];
    const Vec3 d = random_unit(rng);
    x[0] = d.x, x[1] = d.y, x[2] = d.z, x[3] = rng.uniformf(0.f, 0.3f);
    const std::vector<float> w = rng.floats(W, -1.f, 1.f);
    const auto loss = [&] {
      std::vector<float> out(W);
      ide_encode(t, x[0], x[1], x[2], x[3], out.data());
      double s = 0.0;
      for (int k = 0; k < W; ++k) s += static_cast<double>(w[k]) * out[k];
      return s;
    };
    float grad[3] = {0.f, 0.f, 0.f}, grad_r = 0.f;
    ide_encode_backward(t, x[0], x[1], x[2], x[3], w.data(), grad, &grad_r);
    for (int k = 0; k < 4; ++k) {
      const double numeric = nerds_test::richardson_difference([&](float v) { x[k] = v; }, loss, x[k], 1e-3f);
      check.add(k, k < 3 ? grad[k] : grad_r, numeric, 1e-3, 1e-2);
    }
  }
  CAPTURE(check.worst_analytic);
  CAPTURE(check.worst_numeric);
  CHECK(check.worst <= 1.0);
}

TEST_CASE("reflection about the normal: 2 (n.v) n - v keeps the angle to n and the length, and its backward") {
  Random rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    const Vec3 n = random_unit(rng), v = random_unit(rng);
    const Vec3 r = reflect_about(v, n);
    CHECK(dot(r, n) == doctest::Approx(dot(v, n)).epsilon(1e-5).scale(1e-6));
    CHECK(length(r) == doctest::Approx(1.f).epsilon(1e-5));
    CHECK(length(r + v - n * (2.f * dot(n, v))) < 1e-6f);
  }
  // The mirror case: looking straight down onto an upward normal reflects straight up.
  const Vec3 up = reflect_about(make_vec3(0.f, 0.f, 1.f), make_vec3(0.f, 0.f, 1.f));
  CHECK(up.z == doctest::Approx(1.f));
  // A grazing view along x over a z-normal stays along -x... reflected: w_r = -v for v . n = 0.
  const Vec3 graze = reflect_about(make_vec3(1.f, 0.f, 0.f), make_vec3(0.f, 0.f, 1.f));
  CHECK(graze.x == doctest::Approx(-1.f));
  // Backward in n by differences of L = w . reflect(v, n).
  const Vec3 v = normalize(make_vec3(0.2f, 0.4f, 0.9f)), w = make_vec3(0.3f, -0.7f, 0.5f);
  Vec3 n = normalize(make_vec3(-0.1f, 0.3f, 0.95f));
  const Vec3 g = reflect_about_backward_normal(v, n, w);
  for (int k = 0; k < 3; ++k) {
    const double numeric = nerds_test::richardson_difference([&](float x) { n[k] = x; },
                                                             [&] { return static_cast<double>(dot(w, reflect_about(v, n))); },
                                                             n[k], 1e-3f);
    CHECK(g[k] == doctest::Approx(numeric).epsilon(1e-3));
  }
}

TEST_CASE("Ref-NeRF terms: normalisation, tone map, R_o and R_p derivatives by finite differences") {
  // n = -g/|g|
  Vec3 g = make_vec3(0.4f, -1.2f, 0.7f);
  const Vec3 w = make_vec3(0.5f, 0.25f, -0.8f);
  const Vec3 dg = negative_normalized_backward(g, w);
  for (int k = 0; k < 3; ++k) {
    const double numeric = nerds_test::richardson_difference(
        [&](float x) { g[k] = x; }, [&] { return static_cast<double>(dot(w, negative_normalized(g))); }, g[k], 1e-3f);
    CHECK(dg[k] == doctest::Approx(numeric).epsilon(1e-3));
  }
  CHECK(length(negative_normalized(g)) == doctest::Approx(1.f));
  // The sRGB curve, on both sides of its knee.
  for (float x : {0.001f, 0.02f, 0.3f, 0.9f}) {
    const double numeric = nerds_test::richardson_difference([&](float v) { x = v; },
                                                             [&] { return static_cast<double>(linear_to_srgb(x)); }, x,
                                                             x * 1e-2f);
    CHECK(linear_to_srgb_grad(x) == doctest::Approx(numeric).epsilon(1e-3));
  }
  CHECK(linear_to_srgb(1.f) == doctest::Approx(1.f).epsilon(1e-3));
  // The padded colour (multinerf's rgb_padding): [-p, 1 + p] over the clip, so a black or white
  // target is reached at a finite linear value; its derivative by differences, zero past the clip.
  CHECK(ref_nerf_tone_map(0.f) == doctest::Approx(-kRefRgbPadding));
  CHECK(ref_nerf_tone_map(2.f) == doctest::Approx(1.f + kRefRgbPadding));
  CHECK(ref_nerf_tone_map_grad(2.f) == 0.f);
  for (float x : {0.001f, 0.02f, 0.3f, 0.9f}) {
    const double numeric = nerds_test::richardson_difference([&](float v) { x = v; },
                                                             [&] { return static_cast<double>(ref_nerf_tone_map(x)); },
                                                             x, x * 1e-2f);
    CHECK(ref_nerf_tone_map_grad(x) == doctest::Approx(numeric).epsilon(1e-3));
  }
  // R_o = max(0, n'.d)^2: zero for a normal facing the camera (n'.d < 0), positive behind.
  const Vec3 d = normalize(make_vec3(0.f, 0.3f, -1.f));
  CHECK(orientation_term(make_vec3(0.f, 0.f, 1.f), d) == 0.f);
  Vec3 np = normalize(make_vec3(0.2f, 0.5f, -0.6f));
  CHECK(orientation_term(np, d) > 0.f);
  const Vec3 go = orientation_term_grad(np, d);
  for (int k = 0; k < 3; ++k) {
    const double numeric = nerds_test::richardson_difference(
        [&](float x) { np[k] = x; }, [&] { return static_cast<double>(orientation_term(np, d)); }, np[k], 1e-3f);
    CHECK(go[k] == doctest::Approx(numeric).epsilon(1e-3));
  }
  // R_p = 1 - n.n' is half of ||n - n'||^2 for unit vectors (the paper's Eq. 11 form).
  const Vec3 a = normalize(make_vec3(0.3f, 0.1f, 0.9f)), b = normalize(make_vec3(-0.2f, 0.4f, 0.8f));
  CHECK(predicted_normal_term(a, b) == doctest::Approx(0.5f * dot(a - b, a - b)).epsilon(1e-5));
  CHECK(angle_degrees(make_vec3(1.f, 0.f, 0.f), make_vec3(0.f, 1.f, 0.f)) == doctest::Approx(90.f));
}

TEST_CASE("Ref-NeRF colour warm-up: multinerf's delay factor rises from mult to 1 over its steps") {
  CHECK(lr_delay_factor(0, 100, 0.01f) == doctest::Approx(0.01f));
  CHECK(lr_delay_factor(50, 100, 0.01f) == doctest::Approx(0.01f + 0.99f * std::sin(0.25 * 3.14159265358979)));
  CHECK(lr_delay_factor(100, 100, 0.01f) == doctest::Approx(1.f));
  CHECK(lr_delay_factor(500, 100, 0.01f) == doctest::Approx(1.f));
  CHECK(lr_delay_factor(0, 0, 0.01f) == 1.f);  // no warm-up
  for (int s = 0; s < 100; ++s) CHECK(lr_delay_factor(s + 1, 100, 0.01f) >= lr_delay_factor(s, 100, 0.01f));
}
