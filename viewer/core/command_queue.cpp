#include "viewer/core/command_queue.h"

namespace nerds::viewer {

void CommandQueue::push(Command command) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands_.push_back(std::move(command));
  }
  ready_.notify_one();
}

std::vector<Command> CommandQueue::take_all() {
  std::deque<Command> taken;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    taken.swap(commands_);
    woken_ = false;
  }
  return {std::make_move_iterator(taken.begin()), std::make_move_iterator(taken.end())};
}

bool CommandQueue::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  ready_.wait_for(lock, timeout, [&] { return !commands_.empty() || woken_; });
  woken_ = false;
  return !commands_.empty();
}

void CommandQueue::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  ready_.notify_one();
}

size_t CommandQueue::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return commands_.size();
}

}  // namespace nerds::viewer
