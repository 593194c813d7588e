// A fresh folder under the system temp directory for one test, removed with its contents
// when the test ends (pass or fail).
#pragma once

#include <chrono>
#include <filesystem>
#include <random>
#include <string>

namespace nerds_test {

class TempFolder {
 public:
  explicit TempFolder(const std::string& label) {
    std::random_device random;
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() /
            ("nerds_test_" + label + "_" + std::to_string(ticks) + "_" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace nerds_test
