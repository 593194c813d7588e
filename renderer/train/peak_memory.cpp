#include "renderer/train/peak_memory.h"

#include <fstream>
#include <sstream>
#include <string>

namespace nerds {

namespace {

// A "<key>: <n> kB" line of /proc/self/status in MiB; 0 when absent.
size_t status_mib(const char* key) {
  std::ifstream status("/proc/self/status");
  const std::string prefix = std::string(key) + ":";
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, prefix.size(), prefix) != 0) continue;
    std::istringstream fields(line.substr(prefix.size()));
    size_t kib = 0;
    std::string unit;
    if (fields >> kib >> unit && unit == "kB") return kib / 1024;
    return 0;
  }
  return 0;
}

}  // namespace

size_t peak_rss_mib() { return status_mib("VmHWM"); }

size_t current_rss_mib() { return status_mib("VmRSS"); }

bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

}  // namespace nerds
