// The one error type the engine throws for bad input: its message names the file and the
// field, so the CLI can print it and exit non-zero instead of crashing.
#pragma once

#include <stdexcept>
#include <string>

namespace nerds {

class InputError : public std::runtime_error {
 public:
  // file: the path the bad value came from; field: the JSON key / record that is wrong.
  InputError(const std::string& file, const std::string& field, const std::string& what)
      : std::runtime_error(file + (field.empty() ? "" : ": " + field) + ": " + what) {}
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace nerds
