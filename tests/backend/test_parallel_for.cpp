// parallel_for: every item runs once, and a body's exception reaches the caller (the scene
// maker's views write files, which can fail) instead of ending the program.
#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "renderer/backend/parallel.h"

TEST_CASE("parallel_for runs every item once, whatever the grain") {
  for (int64_t grain : {1, 7, 4096}) {
    std::vector<std::atomic<int>> runs(10000);
    nerds::parallel_for(static_cast<int64_t>(runs.size()), [&](int64_t i) { ++runs[i]; }, grain);
    int wrong = 0;
    for (const std::atomic<int>& r : runs) wrong += r.load() != 1;
    CHECK(wrong == 0);
  }
}

TEST_CASE("parallel_for rethrows a body's exception on the calling thread") {
  CHECK_THROWS_WITH_AS(nerds::parallel_for(1000,
                                           [](int64_t i) {
                                             if (i == 3) throw std::runtime_error("item 3 failed");
                                           }),
                       "item 3 failed", std::runtime_error);
  // The loop is usable again afterwards.
  std::atomic<int> count{0};
  nerds::parallel_for(100, [&](int64_t) { ++count; });
  CHECK(count.load() == 100);
}
