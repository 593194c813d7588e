// NeRF's NDC warp for forward-facing scenes (renderer/math/ndc.h): the near plane maps to
// z = -1 and infinity to +1, the image's edges to x, y = +-1, the warped ray passes through
// the warped points of the original ray (t' linear in disparity), and the inverse round-trips.
#include <doctest/doctest.h>

#include <cmath>

#include "renderer/math/ndc.h"
#include "tests/test_support/numeric.h"

using nerds::NdcCamera;
using nerds::Vec3;
using nerds_test::Random;

namespace {

// fern at 1/8 resolution (504 x 378, focal 407.6) and NeRF's near plane 1.
NdcCamera fern_camera() {
  NdcCamera c;
  c.fx = c.fy = 407.57f;
  c.width = 504.f;
  c.height = 378.f;
  c.near = 1.f;
  return c;
}

}  // namespace

TEST_CASE("NDC maps the near plane to z = -1, infinity to +1 and the image edges to +-1") {
  NdcCamera c = fern_camera();
  for (float near : {1.f, 0.5f, 3.f}) {
    c.near = near;
    Random rng(21);
    for (int i = 0; i < 50; ++i) {
      const Vec3 p = nerds::make_vec3(rng.uniformf(-2.f, 2.f), rng.uniformf(-2.f, 2.f), -near);
      CHECK(nerds::ndc_point(c, p).z == doctest::Approx(-1.f));
    }
    CHECK(nerds::ndc_point(c, nerds::make_vec3(0.3f, 0.2f, -1e7f)).z == doctest::Approx(1.f).epsilon(1e-6));
  }
  // The image corner (W/2, H/2) pixels off the axis projects to (+-1, +-1) at any depth:
  // x / -z = (W/2) / f at the right edge.
  c.near = 1.f;
  for (float depth : {1.f, 2.5f, 40.f}) {
    const float x = 0.5f * c.width / c.fx * depth, y = 0.5f * c.height / c.fy * depth;
    const Vec3 q = nerds::ndc_point(c, nerds::make_vec3(x, -y, -depth));
    CHECK(q.x == doctest::Approx(1.f));
    CHECK(q.y == doctest::Approx(-1.f));
  }
}

TEST_CASE("NDC rays start on the near plane, end at infinity and pass through the warped ray points") {
  const NdcCamera c = fern_camera();
  Random rng(22);
  for (int trial = 0; trial < 100; ++trial) {
    // Cameras near the origin, looking roughly down -z (forward-facing).
    const Vec3 o = nerds::make_vec3(rng.uniformf(-0.3f, 0.3f), rng.uniformf(-0.3f, 0.3f), rng.uniformf(-0.2f, 0.2f));
    const Vec3 d = nerds::make_vec3(rng.uniformf(-0.6f, 0.6f), rng.uniformf(-0.45f, 0.45f), -1.f);
    Vec3 on, dn;
    nerds::ndc_ray(c, o, d, &on, &dn);
    CHECK(on.z == doctest::Approx(-1.f).epsilon(1e-5));
    CHECK((on + dn).z == doctest::Approx(1.f).epsilon(1e-5));  // t' = 1: infinity
    const float t_near = -(c.near + o.z) / d.z;
    for (float t : {1.f, 2.f, 5.f, 30.f}) {
      const Vec3 p = o + d * (t_near + t);  // beyond the near plane
      const Vec3 q = nerds::ndc_point(c, p);
      // The warped point lies on the warped ray at s = (q.z - on.z) / dn.z, and s = 1 - n / depth:
      // linear in disparity.
      const float s = (q.z - on.z) / dn.z;
      INFO("trial " << trial << " t " << t);
      CHECK(s == doctest::Approx(1.f - c.near / -p.z).epsilon(1e-4));
      CHECK((on + dn * s).x == doctest::Approx(q.x).epsilon(1e-4));
      CHECK((on + dn * s).y == doctest::Approx(q.y).epsilon(1e-4));
    }
  }
}

TEST_CASE("ndc_to_world inverts ndc_point") {
  const NdcCamera c = fern_camera();
  Random rng(23);
  for (int i = 0; i < 100; ++i) {
    const Vec3 p = nerds::make_vec3(rng.uniformf(-3.f, 3.f), rng.uniformf(-2.f, 2.f), rng.uniformf(-20.f, -1.f));
    const Vec3 back = nerds::ndc_to_world(c, nerds::ndc_point(c, p));
    CHECK(back.x == doctest::Approx(p.x).epsilon(1e-4));
    CHECK(back.y == doctest::Approx(p.y).epsilon(1e-4));
    CHECK(back.z == doctest::Approx(p.z).epsilon(1e-4));
  }
}
