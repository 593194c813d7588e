// Ref-NeRF's integrated directional encoding (Verbin et al. 2022, Sec. 3.2, Eqs. 6-8): the
// spherical harmonics Y_l^m of a direction, each attenuated by exp(-l(l+1)/2 * roughness)
// (roughness = 1/kappa, the von Mises-Fisher lobe's inverse concentration), for the degrees
// l = 1, 2, 4, ..., 2^(degree-1) and orders m = 0..l (the paper's degree 5: l up to 16).
// Written as the official code writes it (google-research/multinerf internal/ref_utils.py,
// generate_ide_fn): Y_l^m = (x + iy)^m * P_lm(z), a polynomial in z with precomputed
// coefficients, output as the real parts of all (l, m) followed by their imaginary parts.
// At roughness 0 it is the plain directional encoding (the complex spherical harmonics; for
// l <= 3 these are sh.h's real ones: sqrt(2) Re Y_l^m = sh[l^2+l+m], sqrt(2) Im Y_l^m =
// sh[l^2+l-m], Y_l^0 = sh[l^2+l]).
#pragma once

#include <cmath>

#include "renderer/math/hd.h"

namespace nerds {

constexpr int kMaxIdeDegree = 5;          // multinerf: "Only deg_view of at most 5 is numerically stable"
constexpr int kMaxIdeTerms = 36;          // (l, m) pairs at degree 5: 2 + 3 + 5 + 9 + 17
constexpr int kMaxIdePower = 17;          // powers of z: 0..16

// The (l, m) pairs of one degree and each pair's polynomial coefficients in z.
struct IdeTable {
  int terms = 0;                  // (l, m) pairs
  int powers = 0;                 // 1 + the largest l
  int l[kMaxIdeTerms] = {};
  int m[kMaxIdeTerms] = {};
  float coeff[kMaxIdePower][kMaxIdeTerms] = {};  // coeff[k][i]: of z^k in pair i
};

// Output width: real and imaginary parts of every pair (multinerf keeps both, the imaginary
// parts of m = 0 are always 0).
NERDS_HD constexpr int ide_width(int terms) { return 2 * terms; }
NERDS_HD constexpr int ide_term_count(int degree) {
  int n = 0;
  for (int i = 0; i < degree; ++i) n += (1 << i) + 1;
  return n;
}

namespace ide_detail {
inline double factorial(int n) {
  double f = 1.0;
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}
// prod_{j<k} (a - j) / k!  (ref_utils.generalized_binomial_coeff)
inline double generalized_binomial(double a, int k) {
  double p = 1.0;
  for (int j = 0; j < k; ++j) p *= a - j;
  return p / factorial(k);
}
// The coefficient of cos^k(theta) sin^m(theta) in P_l^m(cos(theta)) (ref_utils.assoc_legendre_coeff).
inline double assoc_legendre(int l, int m, int k) {
  return (m % 2 ? -1.0 : 1.0) * std::pow(2.0, l) * factorial(l) / factorial(k) / factorial(l - k - m) *
         generalized_binomial(0.5 * (l + k + m - 1.0), l);
}
}  // namespace ide_detail

// The table of `degree` (1..kMaxIdeDegree), computed in double as multinerf's numpy does.
inline IdeTable make_ide_table(int degree) {
  IdeTable t;
  for (int i = 0; i < degree; ++i) {
    const int l = 1 << i;
    for (int m = 0; m <= l; ++m) {
      t.l[t.terms] = l;
      t.m[t.terms] = m;
      const double norm = std::sqrt((2.0 * l + 1.0) * ide_detail::factorial(l - m) /
                                    (4.0 * 3.14159265358979323846 * ide_detail::factorial(l + m)));
      for (int k = 0; k <= l - m; ++k) t.coeff[k][t.terms] = static_cast<float>(norm * ide_detail::assoc_legendre(l, m, k));
      ++t.terms;
    }
    t.powers = l + 1;
  }
  return t;
}

// The attenuation of degree l at `roughness` (Eq. 7: exp(-l(l+1)/(2 kappa))).
NERDS_HD float ide_attenuation(int l, float roughness) { return expf(-0.5f * l * (l + 1) * roughness); }

// The powers z^k and (x + iy)^k, k < t.powers (real and imaginary parts), of one direction.
struct IdePowers {
  float z[kMaxIdePower], re[kMaxIdePower], im[kMaxIdePower];
};
NERDS_HD void ide_powers(const IdeTable& t, float x, float y, float z, IdePowers* p) {
  p->z[0] = 1.f;
  p->re[0] = 1.f;
  p->im[0] = 0.f;
  for (int k = 1; k < t.powers; ++k) {
    p->z[k] = p->z[k - 1] * z;
    p->re[k] = p->re[k - 1] * x - p->im[k - 1] * y;
    p->im[k] = p->re[k - 1] * y + p->im[k - 1] * x;
  }
}

// Writes ide_width(t.terms) values for unit direction (x, y, z) at `roughness`.
NERDS_HD void ide_encode(const IdeTable& t, float x, float y, float z, float roughness, float* out) {
  IdePowers pw;
  ide_powers(t, x, y, z, &pw);
  const float* zp = pw.z;
  for (int i = 0; i < t.terms; ++i) {
    const float re = pw.re[t.m[i]], im = pw.im[t.m[i]];  // (x + iy)^m
    float p = 0.f;
    for (int k = 0; k <= t.l[i] - t.m[i]; ++k) p += t.coeff[k][i] * zp[k];
    const float a = ide_attenuation(t.l[i], roughness);
    out[i] = re * p * a;
    out[t.terms + i] = im * p * a;
  }
}

// Backward of ide_encode: adds dL/d(x, y, z) and dL/droughness from dL/dout.
NERDS_HD void ide_encode_backward(const IdeTable& t, float x, float y, float z, float roughness, const float* d_out,
                                  float* d_dir, float* d_roughness) {
  IdePowers pw;
  ide_powers(t, x, y, z, &pw);
  const float* zp = pw.z;
  float gx = 0.f, gy = 0.f, gz = 0.f, gr = 0.f;
  for (int i = 0; i < t.terms; ++i) {
    const int m = t.m[i], l = t.l[i];
    // (x + iy)^m and (x + iy)^(m-1) (unused for m = 0)
    const float re = pw.re[m], im = pw.im[m], re1 = m > 0 ? pw.re[m - 1] : 0.f, im1 = m > 0 ? pw.im[m - 1] : 0.f;
    float p = 0.f, dp = 0.f;
    for (int k = 0; k <= l - m; ++k) {
      p += t.coeff[k][i] * zp[k];
      if (k > 0) dp += k * t.coeff[k][i] * zp[k - 1];
    }
    const float a = ide_attenuation(l, roughness);
    const float dr = d_out[i] * a, di = d_out[t.terms + i] * a;
    // d(x+iy)^m/dx = m (x+iy)^(m-1); d/dy = i m (x+iy)^(m-1).
    gx += m * p * (dr * re1 + di * im1);
    gy += m * p * (-dr * im1 + di * re1);
    gz += dp * (dr * re + di * im);
    gr += -0.5f * l * (l + 1) * p * (dr * re + di * im);
  }
  d_dir[0] += gx;
  d_dir[1] += gy;
  d_dir[2] += gz;
  *d_roughness += gr;
}

}  // namespace nerds
