// Files and text in tests: write a text or JSON file, read one back, a file's bytes, and whether
// a text holds a part. One copy for every test file (the unity build puts a folder's test files
// in one translation unit, where two file-local copies of a helper would collide).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

namespace nerds_test {

inline void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

inline void write_json(const std::filesystem::path& path, const nlohmann::json& value) {
  std::ofstream(path) << value.dump(2);
}

// The whole file, byte for byte ("" when it cannot be opened).
inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace nerds_test
