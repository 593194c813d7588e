// Small numeric helpers shared by the gradient tests: a seeded random source, error measures
// and central differences with Richardson extrapolation.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace nerds_test {

constexpr double kPi = 3.14159265358979323846;
constexpr float kInfF = std::numeric_limits<float>::infinity();

// Deterministic uniform numbers for test inputs (same seed -> same inputs on every machine:
// std::mt19937_64's output is specified by the standard; the distribution is done here by
// hand because std::uniform_real_distribution's algorithm is not).
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  float uniformf(float lo, float hi) { return static_cast<float>(uniform(lo, hi)); }
  int index(int n) { return static_cast<int>(engine_() % static_cast<uint64_t>(n)); }
  std::vector<float> floats(size_t n, float lo, float hi) {
    std::vector<float> v(n);
    for (float& x : v) x = uniformf(lo, hi);
    return v;
  }

 private:
  std::mt19937_64 engine_;
};

// |a - b| measured against atol + rtol * max(|a|, |b|): <= 1 means "close".
inline double scaled_error(double a, double b, double atol, double rtol) {
  return std::fabs(a - b) / (atol + rtol * std::max(std::fabs(a), std::fabs(b)));
}

// Worst scaled error over a gradient check, with where it happened (for the failure message).
struct GradientCheck {
  double worst = 0.0;  // max scaled_error
  int worst_index = -1;
  double worst_analytic = 0.0, worst_numeric = 0.0;
  int checked = 0;
  void add(int index, double analytic, double numeric, double atol, double rtol) {
    const double e = scaled_error(analytic, numeric, atol, rtol);
    ++checked;
    if (e > worst || worst_index < 0) {
      worst = e;
      worst_index = index;
      worst_analytic = analytic;
      worst_numeric = numeric;
    }
  }
};

// d f / d x at x by the central difference (f(x+h) - f(x-h)) / 2h. `set(v)` puts v in the
// variable, `f()` evaluates (in double); the variable is restored afterwards.
template <class Set, class F>
double central_difference(Set set, F f, float x, float h) {
  set(x + h);
  const double fp = f();
  set(x - h);
  const double fm = f();
  set(x);
  // The step actually taken (x +- h rounded to float), so rounding of x+h is not an error.
  const double step = static_cast<double>(x + h) - static_cast<double>(x - h);
  return (fp - fm) / step;
}

// Richardson extrapolation of two central differences, (4 D(h) - D(2h)) / 3: the h^2 term
// of the truncation error cancels, leaving O(h^4) (and an exact result for cubics).
template <class Set, class F>
double richardson_difference(Set set, F f, float x, float h) {
  const double d1 = central_difference(set, f, x, h);
  const double d2 = central_difference(set, f, x, 2.f * h);
  return (4.0 * d1 - d2) / 3.0;
}

}  // namespace nerds_test
