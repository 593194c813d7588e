// Runs body(i) for i in [0, count) on every core with std::thread. Work is handed out one
// index at a time, so results must not depend on which thread ran which index.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nerds::scenes {

// The first exception thrown by any body is rethrown here once all threads have stopped.
inline void parallel_for(int count, const std::function<void(int)>& body) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  int thread_count = std::min(static_cast<int>(cores), count);
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto worker = [&]() {
    for (int i = next++; i < count && !failed; i = next++) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < thread_count; ++t) threads.emplace_back(worker);
  worker();  // the calling thread works too
  for (std::thread& thread : threads) thread.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace nerds::scenes
