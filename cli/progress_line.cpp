#include "cli/progress_line.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace nerds::cli {

namespace {
constexpr double kTtyInterval = 0.25;  // ~4 updates a second
constexpr double kLogInterval = 5.0;   // a full line every 5 s when stderr is not a terminal
}  // namespace

ProgressLine::ProgressLine() : tty_(isatty(fileno(stderr)) != 0), last_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() { finish(); }

bool ProgressLine::due() const {
  if (!shown_) return true;
  const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_).count();
  return since >= (tty_ ? kTtyInterval : kLogInterval);
}

void ProgressLine::show(const std::string& text, bool force) {
  if (!force && !due()) return;
  last_ = std::chrono::steady_clock::now();
  shown_ = true;
  if (tty_) {
    std::string padded = text;
    if (padded.size() < last_width_) padded.append(last_width_ - padded.size(), ' ');
    std::fprintf(stderr, "\r%s", padded.c_str());
    last_width_ = text.size();
    open_ = true;
  } else {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (open_) {
    std::fputc('\n', stderr);
    std::fflush(stderr);
  }
  open_ = false;
  last_width_ = 0;
  shown_ = false;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  } else {
    const long s = std::lround(seconds);
    if (s < 3600)
      std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    else
      std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  }
  return buf;
}

std::string format_count(double value) {
  char buf[32];
  if (!std::isfinite(value)) return "?";
  if (value >= 1e9)
    std::snprintf(buf, sizeof buf, "%.2fG", value / 1e9);
  else if (value >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2fM", value / 1e6);
  else if (value >= 1e3)
    std::snprintf(buf, sizeof buf, "%.0fk", value / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f", value);
  return buf;
}

}  // namespace nerds::cli
