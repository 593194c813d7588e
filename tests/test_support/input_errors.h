// Helpers of the tests on bad input: the message a dataset folder's InputError carries, and a
// check that a message names every part it must (the file, the field, the bound ...).
#pragma once

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "renderer/data/dataset.h"
#include "renderer/error.h"

namespace nerds_test {

// The message of the InputError load_dataset throws for `dir`, or "(no InputError thrown)".
inline std::string dataset_error(const std::string& dir, const nerds::DatasetOptions& options = {}) {
  try {
    nerds::load_dataset(dir, options);
  } catch (const nerds::InputError& e) {
    return e.what();
  }
  return "(no InputError thrown)";
}

// The message of the InputError `action()` throws, or "" when it throws none.
template <class F>
std::string input_error_message(F&& action) {
  try {
    action();
  } catch (const nerds::InputError& e) {
    return e.what();
  }
  return "";
}

inline void check_mentions(const std::string& message, std::initializer_list<std::string> parts) {
  INFO("message: " << message);
  for (const std::string& part : parts) CHECK_MESSAGE(message.find(part) != std::string::npos, "missing: " << part);
}

}  // namespace nerds_test
