// Plenoxels' colour activation (renderer/math/sh_color.h): the official code's clamp of
// s + 0.5 at 0 and the sigmoid, their values and their derivatives (read from the output, as the
// backward pass reads them) against finite differences away from the clamp's kink.
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>

#include "renderer/math/sh_color.h"

using namespace nerds;

TEST_CASE("SH colour activation: clamp(s plus 0.5, 0) and sigmoid, derivatives by finite differences") {
  const int clamp = static_cast<int>(ShColorActivation::Clamp), sig = static_cast<int>(ShColorActivation::Sigmoid);
  // Both are grey at s = 0 (the coefficients' start at 0).
  CHECK(sh_color_activation(clamp, 0.f) == doctest::Approx(0.5f));
  CHECK(sh_color_activation(sig, 0.f) == doctest::Approx(0.5f));
  // The clamp is not bounded above and is 0 below s = -0.5.
  CHECK(sh_color_activation(clamp, 2.f) == doctest::Approx(2.5f));
  CHECK(sh_color_activation(clamp, -0.7f) == 0.f);
  CHECK(sh_color_activation_grad_from_output(clamp, sh_color_activation(clamp, -0.7f)) == 0.f);
  for (int kind : {clamp, sig}) {
    CAPTURE(kind);
    for (float s = -3.f; s <= 3.f; s += 0.37f) {
      if (kind == clamp && std::fabs(s + 0.5f) < 0.05f) continue;  // the kink
      CAPTURE(s);
      const double h = 1e-3;
      const double fd = (static_cast<double>(sh_color_activation(kind, static_cast<float>(s + h))) -
                         sh_color_activation(kind, static_cast<float>(s - h))) /
                        (2.0 * h);
      const float g = sh_color_activation_grad_from_output(kind, sh_color_activation(kind, s));
      CHECK(g == doctest::Approx(fd).epsilon(1e-2).scale(1e-3));
      // The sigmoid's slope is at most a quarter; the clamp's is 1 where the colour is positive.
      if (kind == sig) CHECK(g <= 0.25f + 1e-6f);
      if (kind == clamp && s > -0.5f) CHECK(g == 1.f);
    }
  }
}
