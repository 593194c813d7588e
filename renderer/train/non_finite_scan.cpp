#include "renderer/train/non_finite_scan.h"

#include <cmath>

#include "renderer/data/json_fields.h"

namespace nerds {

namespace {
// Counts the non-finite entries of one array into `out` (named `section`); true when there are any.
bool scan(const std::string& section, const float* values, size_t n, NonFiniteValues* out) {
  size_t count = 0, first = 0;
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(values[i]) && count++ == 0) first = i;
  if (count == 0) return false;
  *out = NonFiniteValues{section, count, n, first, values[first]};
  return true;
}
}  // namespace

std::optional<NonFiniteValues> find_non_finite(const std::vector<ParamTensor>& tensors,
                                               const std::vector<AdamMoments>& moments) {
  NonFiniteValues bad;
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (scan(tensors[i].name, tensors[i].values, tensors[i].size(), &bad)) return bad;
    if (i >= moments.size()) continue;
    if (scan(tensors[i].name + ".adam_m", moments[i].m.data(), moments[i].m.size(), &bad)) return bad;
    if (scan(tensors[i].name + ".adam_v", moments[i].v.data(), moments[i].v.size(), &bad)) return bad;
  }
  return std::nullopt;
}

std::string non_finite_text(const NonFiniteValues& bad) {
  return std::to_string(bad.count) + " of its " + std::to_string(bad.size) + " values are NaN or infinite (the first, index " +
         std::to_string(bad.first) + ", is " + json_fields::number_text(bad.value) + ")";
}

}  // namespace nerds
