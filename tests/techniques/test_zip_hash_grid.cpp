// Zip-NeRF's anti-aliased hash grid (renderer/math/zip_multisample.h, zip_hash_grid.h; the
// hash kind with encoding.zip_downweight / encoding.zip_multisample): the downweighting
// against hand-computed values, the multisamples against Mip-NeRF's frustum moments, and with
// a zero footprint the encoding equal to the plain hash grid. Its finite-difference gradient
// checks run in the module registry test (tests/techniques/test_module_registry.cpp), which
// probes the hash kind with each of the two parameters flipped.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/backend/sample_buffer.h"
#include "renderer/math/positional_encoding.h"
#include "renderer/math/zip_multisample.h"
#include "renderer/techniques/encodings/hash_grid_encoding.h"
#include "tests/test_support/numeric.h"

using namespace nerds;

TEST_CASE("zip hash grid: the downweighting is erf(1 / (sqrt(8) sigma n)), 1 for a point") {
  // erf(1 / (sqrt(8) * 0.01 * 100)) = erf(0.353553) = 0.3829249 (Python's math.erf).
  CHECK(zip_level_weight(0.01f, 100.f) == doctest::Approx(0.3829249).epsilon(1e-5));
  // A footprint far below the cell keeps the level: erf(1 / (sqrt(8) * 0.002 * 63)) = 0.9999276.
  CHECK(zip_level_weight(0.002f, 63.f) == doctest::Approx(0.9999276).epsilon(1e-6));
  CHECK(zip_level_weight(0.f, 2048.f) == 1.f);
  // Finer levels are damped more.
  CHECK(zip_level_weight(0.01f, 400.f) < zip_level_weight(0.01f, 100.f));
}

TEST_CASE("zip hash grid: the multisamples' mean distance is Mip-NeRF's frustum mean (Eq. 7)") {
  nerds_test::Random rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const float t0 = rng.uniformf(0.5f, 3.f), t1 = t0 + rng.uniformf(0.001f, 0.5f);
    double mean = 0.0;
    for (int k = 0; k < kZipMultisamples; ++k) {
      const float cz = zip_multisample_distance(t0, t1, k);
      CHECK(cz >= t0);
      CHECK(cz <= t1);
      mean += cz / kZipMultisamples;
    }
    CHECK(mean == doctest::Approx(conical_frustum(t0, t1, 0.f).t_mean).epsilon(1e-5));
  }
}

TEST_CASE("zip hash grid: the 6 points lie around the axis at radius sqrt(1/2) r cz, scale half that") {
  const Vec3 axis = normalize(make_vec3(0.3f, -0.5f, 0.8f));
  const Vec3 pos = make_vec3(0.5f, 0.5f, 0.5f);
  const float t = 2.f, dt = 0.1f, r = 0.01f;
  float points[4 * kZipMultisamples];
  zip_sample_points(t, dt, r, axis, pos, 1.f, kZipMultisamples, points);
  for (int k = 0; k < kZipMultisamples; ++k) {
    const Vec3 q = make_vec3(points[4 * k], points[4 * k + 1], points[4 * k + 2]) - pos;
    const float along = dot(q, axis);
    const float cz = zip_multisample_distance(t - 0.5f * dt, t + 0.5f * dt, k);
    CHECK(along == doctest::Approx(cz - t).epsilon(1e-3).scale(1e-5));
    const float perpendicular = length(q - axis * along);
    CHECK(perpendicular == doctest::Approx(0.70710678f * r * cz).epsilon(1e-3));
    CHECK(points[4 * k + 3] == doctest::Approx(0.5f * 0.70710678f * r * cz).epsilon(1e-5));
  }
}

namespace {

// n samples at random positions inside the box, along random unit axes, radius r, step dt.
SampleBuffer random_samples(int n, float r, float dt) {
  nerds_test::Random rng(12);
  SampleBuffer s;
  for (int i = 0; i < n; ++i) {
    const Vec3 axis = normalize(make_vec3(rng.uniformf(-1, 1), rng.uniformf(-1, 1), rng.uniformf(-1, 1)));
    const Vec3 p = make_vec3(rng.uniformf(0.1f, 0.9f), rng.uniformf(0.1f, 0.9f), rng.uniformf(0.1f, 0.9f));
    s.push(rng.uniformf(0.5f, 3.f), dt, p, axis, r, axis);
  }
  return s;
}

std::vector<float> encode(const HashGridEncoding& e, const SampleBuffer& s, float r_box_half) {
  std::vector<float> mean, footprint;
  const float* pos = e.uses_footprint()
                         ? encoding_footprints(e.footprint_kind(), s, r_box_half, WarpSettings{}, &mean, &footprint)
                         : s.pos.data();
  std::vector<float> out(static_cast<size_t>(e.width()) * s.size());
  e.encode(pos, e.uses_footprint() ? footprint.data() : nullptr, s.size(), out.data(), e.width());
  return out;
}

}  // namespace

TEST_CASE("zip hash grid: with a zero footprint the encoding equals the plain hash grid") {
  HashGridConfig plain;
  plain.levels = 8;
  plain.log2_table_size = 14;
  plain.max_resolution = 512;
  HashGridEncoding reference(plain);
  reference.initialize(5);
  for (float& v : reference.grid().params()) v *= 1e4f;  // features of order 1
  for (const bool multisample : {false, true}) {
    CAPTURE(multisample);
    HashGridConfig zip = plain;
    zip.zip_downweight = true;
    zip.zip_multisample = multisample;
    HashGridEncoding e(zip);
    e.grid().params() = reference.grid().params();
    REQUIRE(e.uses_footprint());
    // Zero radius: no downweighting; and for the multisamples a zero step, so all 6 points are the sample's.
    const SampleBuffer s = random_samples(50, 0.f, multisample ? 0.f : 0.05f);
    const std::vector<float> a = encode(e, s, 1.5f), b = encode(reference, s, 1.5f);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-5).scale(1.0));  // features of order 1
  }
}

TEST_CASE("zip hash grid: a footprint larger than the finest cells damps the fine levels, not the coarse") {
  HashGridConfig c;
  c.levels = 8;
  c.log2_table_size = 14;
  c.max_resolution = 512;
  c.zip_downweight = true;
  HashGridEncoding e(c);
  e.initialize(5);
  for (float& v : e.grid().params()) v = 1.f;  // every feature 1: the output is the weight itself
  // sigma = 1/2 sqrt(1/2) r t / (2 box_half): r = 0.02, t = 2, box_half = 0.5 -> 0.01414.
  const SampleBuffer s = random_samples(1, 0.02f, 0.05f);
  const std::vector<float> out = encode(e, s, 0.5f);
  const float sigma = 0.5f * 0.70710678f * 0.02f * s.t[0];
  const HashGridView& v = e.grid().view();
  for (int l = 0; l < v.n_levels; ++l)
    CHECK(out[l * c.features] == doctest::Approx(zip_level_weight(sigma, v.levels[l].scale)).epsilon(1e-5));
  CHECK(out[0] > 0.9f);                              // 16 cells: far coarser than the footprint
  CHECK(out[(v.n_levels - 1) * c.features] < 0.2f);  // 512 cells: far finer
}
