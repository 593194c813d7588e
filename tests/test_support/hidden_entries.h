// How many hidden entries (".name") a folder holds: the leftovers a staged write
// (renderer/data/staged_folder.h) would leave beside its target.
#pragma once

#include <filesystem>

namespace nerds_test {

inline int hidden_entries(const std::filesystem::path& folder) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(folder)) n += e.path().filename().string()[0] == '.';
  return n;
}

}  // namespace nerds_test
