// The proposal sampler's s-space (renderer/math/ray_spacing.h): the identity without a
// contraction; for contracted rays linear up to the knee, linear in disparity beyond, onto
// [0, 1), continuous at the knee, and spacing_t inverts spacing_s.
#include <doctest/doctest.h>

#include <cmath>

#include "renderer/math/ray_spacing.h"

using namespace nerds;

TEST_CASE("ray spacing: identity without contraction, piecewise linear then disparity with it, invertible") {
  const RaySpacing none = ray_spacing(WarpSettings{});
  CHECK_FALSE(none.piecewise);
  CHECK(spacing_s(none, 3.25f) == 3.25f);
  CHECK(spacing_t(none, 0.75f) == 0.75f);

  WarpSettings w;
  w.kind = WarpKind::Contract;
  w.contract.radius = 1.5f;
  const RaySpacing sp = ray_spacing(w);
  REQUIRE(sp.piecewise);
  CHECK(sp.knee == doctest::Approx(3.f));  // the unit ball's diameter
  CHECK(spacing_s(sp, 0.f) == 0.f);
  CHECK(spacing_s(sp, 1.5f) == doctest::Approx(0.25f));  // linear inside the knee
  CHECK(spacing_s(sp, 3.f) == doctest::Approx(0.5f));
  CHECK(spacing_s(sp, 6.f) == doctest::Approx(0.75f));    // 1 - knee / (2 t): linear in disparity
  CHECK(spacing_s(sp, 1e6f) < 1.f);
  CHECK(spacing_s(sp, 1e6f) > 0.9999f);
  // Continuous at the knee, increasing, and inverted by spacing_t.
  CHECK(spacing_s(sp, 3.f * (1.f - 1e-6f)) == doctest::Approx(spacing_s(sp, 3.f * (1.f + 1e-6f))).epsilon(1e-5));
  float last = -1.f;
  for (float t = 0.f; t < 2000.f; t = t * 1.3f + 0.01f) {
    const float s = spacing_s(sp, t);
    CHECK(s > last);
    last = s;
    CHECK(spacing_t(sp, s) == doctest::Approx(t).epsilon(1e-4).scale(1e-5));
  }
}
