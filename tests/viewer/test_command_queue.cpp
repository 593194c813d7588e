// The command queue between the window and the engine's worker thread.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "viewer/core/command_queue.h"

using namespace nerds::viewer;

TEST_CASE("command queue: commands come out once, oldest first") {
  CommandQueue q;
  q.push(cmd::SetTraining{true});
  q.push(cmd::StepOnce{});
  q.push(cmd::TrainTo{42, false});
  CHECK(q.size() == 3);
  const std::vector<Command> got = q.take_all();
  REQUIRE(got.size() == 3);
  CHECK(std::get<cmd::SetTraining>(got[0]).run);
  CHECK(std::holds_alternative<cmd::StepOnce>(got[1]));
  CHECK(std::get<cmd::TrainTo>(got[2]).step == 42);
  CHECK(q.take_all().empty());
  CHECK(q.size() == 0);
}

TEST_CASE("command queue: pushes from several threads all arrive, each thread's in its order") {
  CommandQueue q;
  constexpr int kThreads = 4, kEach = 500;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t)
    producers.emplace_back([&q, t] {
      for (int i = 0; i < kEach; ++i) q.push(cmd::TrainTo{t * kEach + i, false});
    });
  std::vector<int> last(kThreads, -1);
  int received = 0;
  while (received < kThreads * kEach) {
    q.wait_for(std::chrono::milliseconds(50));
    for (const Command& c : q.take_all()) {
      const int v = std::get<cmd::TrainTo>(c).step, t = v / kEach;
      CHECK(v > last[t]);
      last[t] = v;
      ++received;
    }
  }
  for (std::thread& p : producers) p.join();
  CHECK(received == kThreads * kEach);
}

TEST_CASE("command queue: wait_for wakes on a push and on wake(), and times out otherwise") {
  CommandQueue q;
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(q.wait_for(std::chrono::milliseconds(30)));
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(25));

  std::thread pusher([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    q.push(cmd::StepOnce{});
  });
  t0 = std::chrono::steady_clock::now();
  CHECK(q.wait_for(std::chrono::seconds(10)));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  pusher.join();
  q.take_all();

  std::thread waker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    q.wake();
  });
  t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(q.wait_for(std::chrono::seconds(10)));  // woken, but nothing queued
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  waker.join();
}
