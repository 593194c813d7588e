// The project's one way to run a body over items on the CPU: OpenMP with dynamic scheduling
// (items differ in cost: rays march different sample counts). A kernel body is a per-item
// function, so the same body can be launched by the CUDA backend instead; the scene maker
// renders its views with it too.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>

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

// The first exception a body throws, kept to be rethrown on the calling thread: an exception
// must not leave an OpenMP region (that ends the program).
class FirstException {
 public:
  bool raised() const { return raised_.load(std::memory_order_relaxed); }
  void capture() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::current_exception();
    raised_.store(true, std::memory_order_relaxed);
  }
  void rethrow_if_raised() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::atomic<bool> raised_{false};
  std::mutex mutex_;
  std::exception_ptr error_;
};

// fn(i) for i in [0, n), items handed out `grain` at a time. Which thread runs an item varies
// from run to run, so an item's result must depend on i alone. When a body throws, the items
// not yet started are skipped and the first exception is rethrown here.
template <class Fn>
void parallel_for(int64_t n, Fn&& fn, int64_t grain = 1) {
  FirstException error;
#pragma omp parallel for schedule(dynamic, grain)
  for (int64_t i = 0; i < n; ++i) {
    if (error.raised()) continue;
    try {
      fn(i);
    } catch (...) {
      error.capture();
    }
  }
  error.rethrow_if_raised();
}

// fn(begin, end) over [0, n) split into one contiguous range per thread (streaming loops;
// fn must not throw).
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

// Sum of fn(i) for i in [0, n), in double precision (fn must not throw).
template <class Fn>
double parallel_sum(int64_t n, Fn&& fn) {
  double sum = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += fn(i);
  return sum;
}

}  // namespace nerds
