// The grid slice's colours: each channel normalised by its 99th percentile of |value| (one
// outlier does not wash the slice out), zero features mid grey, the two channels of F = 2
// apart (red for channel 0, blue for channel 1).
#include <doctest/doctest.h>

#include "viewer/core/grid_slice_colors.h"

using namespace nerds;
using namespace nerds::viewer;

TEST_CASE("grid slice colours: robust per-channel scale, zero is grey, F=2 channels apart") {
  GridSlice s;
  s.width = 200;
  s.height = 1;
  s.features = 2;
  s.values.assign(2 * 200, 0.f);
  for (int i = 0; i < 200; ++i) {
    s.values[2 * i] = 0.01f * static_cast<float>(i % 100);  // channel 0 up to 0.99
    s.values[2 * i + 1] = -0.001f;                          // channel 1: small and negative
  }
  s.values[2 * 7] = 1000.f;  // one outlier
  s.values[2 * 3] = 0.f;
  const GridSliceColors c = colorize_grid_slice(s);
  REQUIRE(c.scale.size() == 2);
  CHECK(c.scale[0] == doctest::Approx(0.99f));  // the 99th percentile, not the outlier
  CHECK(c.scale[1] == doctest::Approx(0.001f));
  REQUIRE(c.image.rgba.size() == 4u * 200);
  const uint8_t* zero0 = &c.image.rgba[4 * 3];  // channel 0 zero, channel 1 at -full
  CHECK(zero0[0] == 128);
  CHECK(zero0[2] == 0);
  const uint8_t* full = &c.image.rgba[4 * 99];  // channel 0 at the scale: full red
  CHECK(full[0] == 255);
  CHECK(c.image.rgba[4 * 7] == 255);  // the outlier clamps too

  GridSlice flat = s;
  for (float& v : flat.values) v = 0.f;
  const GridSliceColors g = colorize_grid_slice(flat);
  for (size_t p = 0; p < 200; ++p)
    for (int k = 0; k < 3; ++k) CHECK(g.image.rgba[4 * p + k] == 128);  // all zero: mid grey
}
