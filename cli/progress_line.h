// A live status line on stderr: rewritten in place with '\r' about 4 times a second when
// stderr is a terminal; otherwise (a log file, CI) printed as a full line every few seconds.
#pragma once

#include <chrono>
#include <string>

namespace nerds::cli {

class ProgressLine {
 public:
  ProgressLine();
  ~ProgressLine();  // ends the line
  // True when an update is due (so the caller only formats the text then).
  bool due() const;
  // Shows `text` when due (or always with force).
  void show(const std::string& text, bool force = false);
  // Ends the line in place: the last text stays and the cursor moves to the next line.
  void finish();

 private:
  bool tty_;
  bool open_ = false;  // a '\r' line is showing
  size_t last_width_ = 0;
  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
};

// "1:02", "12.3s", "1:02:03".
std::string format_duration(double seconds);
// "1.23M", "456k", "789".
std::string format_count(double value);

}  // namespace nerds::cli
