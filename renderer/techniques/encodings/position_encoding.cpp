#include "renderer/techniques/encodings/position_encoding.h"

#include <stdexcept>

namespace nerds {

// A kind that trains no tensors has no slices, and one whose interpolation is not
// differentiated in its inputs says so (differentiable_inputs() false): calling these on it
// is a caller's bug, not a zero gradient.
void PositionEncoding::backward_inputs(const float*, const float*, const float*, int, int, float*, float*) const {
  throw std::logic_error("PositionEncoding::backward_inputs: this encoding is not differentiated in its inputs");
}

void PositionEncoding::backward_slice(int, const float*, const float*, const float*, int, float*) const {
  throw std::logic_error("PositionEncoding::backward_slice: this encoding trains no tensors");
}

}  // namespace nerds
