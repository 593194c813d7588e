#include "renderer/data/image_limits.h"

#include <cmath>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds {
int checked_image_side(double value, const std::string& source, const std::string& field) {
  if (!(value >= 1.0 && value <= kMaxImageSide && value == std::floor(value)))
    throw InputError(source, field,
                     "expected a positive integer image size of at most " + std::to_string(kMaxImageSide) + " pixels, got " +
                         json_fields::number_text(value));
  return static_cast<int>(value);
}

void check_image_size(double width, double height, const std::string& source, const std::string& field) {
  checked_image_side(width, source, field.empty() ? "width" : field + " (width)");
  checked_image_side(height, source, field.empty() ? "height" : field + " (height)");
}

}  // namespace nerds
