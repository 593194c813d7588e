// The error type the engine throws for bad input: its message names the file and the field,
// so the CLI can print it and exit non-zero instead of crashing.
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

// Training cannot go on, or its model must not be kept: the loss turned non-finite, no ray has
// reached the scene box for many steps, or a model to save or load holds NaN or infinity. An
// InputError, since the cause lies in the input (a setting or the cameras), which the message
// names as the likely one; clients that catch InputError print it and stop.
class TrainingFailure : public InputError {
 public:
  using InputError::InputError;
};

}  // namespace nerds
