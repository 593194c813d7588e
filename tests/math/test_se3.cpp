// BARF's se(3) exponential (renderer/math/se3.h): against a double-precision reference (the
// series of the 4x4 matrix exponential), its backward against central differences, and the
// ray correction it makes of a camera's rays (P exp(xi)).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "renderer/math/camera.h"
#include "renderer/math/se3.h"

using namespace nerds;

namespace {

// exp of the 4x4 twist [[W, u], [0, 0]] by its Taylor series in double (60 terms: exact to
// double precision for |xi| up to a few).
void reference_exp(const double xi[6], double R[3][3], double t[3]) {
  double X[4][4] = {{0, -xi[2], xi[1], xi[3]}, {xi[2], 0, -xi[0], xi[4]}, {-xi[1], xi[0], 0, xi[5]}, {0, 0, 0, 0}};
  double sum[4][4] = {}, term[4][4] = {};
  for (int i = 0; i < 4; ++i) sum[i][i] = term[i][i] = 1.0;
  for (int k = 1; k < 60; ++k) {
    double next[4][4] = {};
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) {
        for (int m = 0; m < 4; ++m) next[i][j] += term[i][m] * X[m][j];
        next[i][j] /= k;
      }
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) {
        term[i][j] = next[i][j];
        sum[i][j] += term[i][j];
      }
  }
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) R[i][j] = sum[i][j];
    t[i] = sum[i][3];
  }
}

const std::vector<std::vector<double>> kCases = {
    {0, 0, 0, 0, 0, 0},
    {1e-5, -2e-5, 3e-6, 0.01, -0.02, 0.03},
    {0.03, -0.05, 0.02, 0.1, 0.05, -0.07},  // below the series' switch (theta < 0.1)
    {0.2, 0.1, -0.3, -0.4, 0.2, 0.6},
    {1.2, -0.7, 0.9, 1.0, -2.0, 0.5},
    {0.0999, 0.0, 0.0, 0.3, 0.0, 0.0},     // either side of the switch
    {0.1001, 0.0, 0.0, 0.3, 0.0, 0.0},
};

// L = sum c_R . R + c_t . t of se3_exp, in double.
double weighted(const float xi[6], const float cR[3][3], const float ct[3]) {
  float R[3][3], t[3];
  se3_exp(xi, R, t);
  double s = 0.0;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) s += static_cast<double>(cR[i][j]) * R[i][j];
    s += static_cast<double>(ct[i]) * t[i];
  }
  return s;
}

}  // namespace

TEST_CASE("se3: the exponential matches the 4x4 matrix exponential in double precision") {
  for (const std::vector<double>& c : kCases) {
    CAPTURE(c[0]);
    CAPTURE(c[3]);
    double R_ref[3][3], t_ref[3];
    reference_exp(c.data(), R_ref, t_ref);
    float xi[6];
    for (int k = 0; k < 6; ++k) xi[k] = static_cast<float>(c[k]);
    float R[3][3], t[3];
    se3_exp(xi, R, t);
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) CHECK(R[i][j] == doctest::Approx(R_ref[i][j]).epsilon(2e-6).scale(1.0));
      CHECK(t[i] == doctest::Approx(t_ref[i]).epsilon(2e-6).scale(1.0));
    }
    // A rotation: R^T R = I, det R = 1.
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        double dot = 0.0;
        for (int k = 0; k < 3; ++k) dot += static_cast<double>(R[k][i]) * R[k][j];
        CHECK(dot == doctest::Approx(i == j ? 1.0 : 0.0).epsilon(1e-6).scale(1.0));
      }
  }
}

TEST_CASE("se3: the exponential's backward matches central differences") {
  const float cR[3][3] = {{0.3f, -0.8f, 0.5f}, {0.9f, 0.1f, -0.4f}, {-0.2f, 0.7f, 0.6f}};
  const float ct[3] = {0.4f, -0.9f, 0.25f};
  for (const std::vector<double>& c : kCases) {
    CAPTURE(c[0]);
    float xi[6];
    for (int k = 0; k < 6; ++k) xi[k] = static_cast<float>(c[k]);
    float d_xi[6];
    se3_exp_backward(xi, cR, ct, d_xi);
    for (int k = 0; k < 6; ++k) {
      CAPTURE(k);
      const float h = 1e-3f;
      float plus[6], minus[6];
      for (int m = 0; m < 6; ++m) plus[m] = minus[m] = xi[m];
      plus[k] += h;
      minus[k] -= h;
      const double numeric = (weighted(plus, cR, ct) - weighted(minus, cR, ct)) / (2.0 * h);
      CHECK(d_xi[k] == doctest::Approx(numeric).epsilon(2e-3).scale(1.0));
    }
  }
}

TEST_CASE("se3: a correction moves a camera's rays as the refined pose P exp(xi) casts them") {
  const Pose P = look_at(make_vec3(1.3f, 0.8f, 1.5f), make_vec3(0.5f, 0.5f, 0.5f), make_vec3(0.f, 1.f, 0.f));
  const float xi[6] = {0.05f, -0.03f, 0.08f, 0.02f, 0.01f, -0.04f};
  Intrinsics k;
  k.fx = k.fy = 50.f;
  k.cx = k.cy = 16.f;
  k.width = k.height = 32;
  const Pose refined = refined_pose(P, xi);
  const RayCorrection c = ray_correction(P, xi);
  for (float px : {3.5f, 16.f, 29.5f}) {
    const Vec3 d = normalize(P.rotate(pixel_to_camera_dir(k, px, 10.f)));
    const Vec3 want = normalize(refined.rotate(pixel_to_camera_dir(k, px, 10.f)));
    const Vec3 got = correct_direction(c, d);
    for (int a = 0; a < 3; ++a) CHECK(got[a] == doctest::Approx(want[a]).epsilon(1e-5).scale(1.0));
  }
  const Vec3 o = P.origin() + c.shift;
  for (int a = 0; a < 3; ++a) CHECK(o[a] == doctest::Approx(refined.origin()[a]).epsilon(1e-6).scale(1.0));
  // xi = 0 changes nothing.
  const float zero[6] = {0, 0, 0, 0, 0, 0};
  const Pose same = refined_pose(P, zero);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) CHECK(same.m[i][j] == doctest::Approx(P.m[i][j]).epsilon(1e-7).scale(1.0));
}
