#include "renderer/techniques/core/find_upwards.h"

#include <filesystem>
#include <system_error>
#include <vector>

namespace nerds {

namespace fs = std::filesystem;

std::string find_upwards(const std::string& relative, bool directory) {
  std::vector<fs::path> starts;
  std::error_code ec;
  starts.push_back(fs::current_path(ec));
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) starts.push_back(exe.parent_path());
  for (fs::path dir : starts) {
    for (int up = 0; up < 6 && !dir.empty(); ++up) {
      const fs::path candidate = dir / relative;
      if (directory ? fs::is_directory(candidate, ec) : fs::is_regular_file(candidate, ec)) return candidate.string();
      if (dir == dir.parent_path()) break;
      dir = dir.parent_path();
    }
  }
  return "";
}

}  // namespace nerds
