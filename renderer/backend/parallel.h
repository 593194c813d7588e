// The CPU backend's one way to run a kernel body over items: OpenMP with dynamic scheduling
// (items differ in cost: rays march different sample counts). A kernel body is a per-item
// function, so the same body can be launched by the CUDA backend instead.
#pragma once

#include <cstdint>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace nerds {

inline int cpu_thread_count() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

inline int cpu_thread_index() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

// fn(i) for i in [0, n), items handed out `grain` at a time.
template <class Fn>
void parallel_for(int64_t n, Fn&& fn, int64_t grain = 1) {
#pragma omp parallel for schedule(dynamic, grain)
  for (int64_t i = 0; i < n; ++i) fn(i);
}

// fn(begin, end) over [0, n) split into one contiguous range per thread (streaming loops).
template <class Fn>
void parallel_ranges(int64_t n, Fn&& fn) {
#pragma omp parallel
  {
#ifdef _OPENMP
    const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
#else
    const int64_t t = 0, nt = 1;
#endif
    const int64_t begin = n * t / nt, end = n * (t + 1) / nt;
    if (begin < end) fn(begin, end);
  }
}

// Sum of fn(i) for i in [0, n), in double precision.
template <class Fn>
double parallel_sum(int64_t n, Fn&& fn) {
  double sum = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += fn(i);
  return sum;
}

}  // namespace nerds
