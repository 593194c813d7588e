// A scan of the model's tensors and their Adam moments for NaN or infinity: a diverged model.
// Run where a model enters or leaves a file (Engine::save refuses to write one, get_tensors
// refuses to load one), never per training step: per step the trainer checks only the scalar
// loss (training_watch.h), which a NaN in any parameter a ray reads turns non-finite.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "renderer/model/param_tensor.h"

namespace nerds {

struct NonFiniteValues {
  std::string section;  // the tensor's name, or "<name>.adam_m" / "<name>.adam_v" for a moment
  size_t count = 0;     // its non-finite entries
  size_t size = 0;      // its entries
  size_t first = 0;     // the index of the first non-finite one
  float value = 0.f;    // its value (NaN, inf or -inf)
};

// The first of `tensors` (then of `moments`, which may be empty) holding a non-finite
// value, in the list's order; nullopt when every value is finite.
std::optional<NonFiniteValues> find_non_finite(const std::vector<ParamTensor>& tensors,
                                               const std::vector<AdamMoments>& moments);

// "12 of its 4096 values are NaN or infinite (the first, index 7, is nan)".
std::string non_finite_text(const NonFiniteValues& bad);

}  // namespace nerds
