// A first-in first-out queue of commands between the window (producer) and the engine's
// worker thread (consumer). The worker takes everything queued at once between two training
// steps, so a burst of clicks costs one pass; when it has nothing to do it sleeps in
// wait_for(), which a push or wake() cuts short.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

#include "viewer/core/commands.h"

namespace nerds::viewer {

class CommandQueue {
 public:
  void push(Command command);
  // Everything queued, oldest first; the queue is empty afterwards. Never blocks on a producer
  // for longer than a push takes.
  std::vector<Command> take_all();
  // Sleeps until a command is queued, wake() is called, or the timeout passes; true when a
  // command is waiting.
  bool wait_for(std::chrono::milliseconds timeout);
  // Ends a wait_for() early without a command (e.g. the camera moved: there is a render to do).
  void wake();
  size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Command> commands_;
  bool woken_ = false;
};

}  // namespace nerds::viewer
