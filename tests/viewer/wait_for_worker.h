// Polling an engine worker's published state in tests (the worker runs on its own thread).
#pragma once

#include <chrono>
#include <functional>
#include <thread>

#include "viewer/core/engine_worker.h"

namespace nerds_test {

// Polls the worker's state until `done` holds (or 60 s pass); returns the last state.
inline nerds::viewer::WorkerState wait_for(const nerds::viewer::EngineWorker& w,
                                           const std::function<bool(const nerds::viewer::WorkerState&)>& done) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  nerds::viewer::WorkerState s = w.state();
  while (!done(s) && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    s = w.state();
  }
  return s;
}

}  // namespace nerds_test
