// Runs the `nerds` executable built beside the test binary, with stdout and stderr captured
// in files of a temporary folder: the CLI tests check exit codes and messages end to end.
#pragma once

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/data/temp_folder.h"

namespace nerds_test {

// `nerds train` options that make a test's training run fast: a small batch and hash table.
inline constexpr const char* kFastTraining = "--set trainer.batch_samples=4096 --set encoding.log2_table_size=14";

struct CliOutput {
  int code = -1;
  std::string out, err;
};

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// `nerds <args>` (args already quoted as needed), run from the current folder.
inline CliOutput run_nerds_cli(const TempFolder& tmp, const std::string& args) {
  namespace fs = std::filesystem;
  const fs::path bin = fs::read_symlink("/proc/self/exe").parent_path() / "nerds";
  REQUIRE_MESSAGE(fs::exists(bin), "the nerds executable is not built beside the tests: " << bin.string());
  const fs::path out = tmp.path() / "cli_out.txt", err = tmp.path() / "cli_err.txt";
  const std::string cmd = "'" + bin.string() + "' " + args + " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(cmd.c_str());
  CliOutput o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = read_text_file(out);
  o.err = read_text_file(err);
  return o;
}

}  // namespace nerds_test
