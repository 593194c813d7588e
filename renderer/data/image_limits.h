// The largest image the project reads, renders or allocates for: 16384 pixels a side, so at
// most 2^28 pixels (1 GiB as RGBA8, several GiB as a render's rays and buffers). A size beyond, or
// one a file's header claims but its bytes cannot hold, is refused before anything is
// allocated, with an error naming the file or option it came from.
#pragma once

#include <cstdint>
#include <string>

namespace nerds {

constexpr int kMaxImageSide = 16384;

// Throws InputError(source, field, ...) unless width and height are whole numbers in
// [1, kMaxImageSide]. Takes doubles so a JSON number (1e20) is checked before any cast.
void check_image_size(double width, double height, const std::string& source, const std::string& field);
// One side ("w", "--width", ...): a whole number in [1, kMaxImageSide]; returns it as an int.
int checked_image_side(double value, const std::string& source, const std::string& field);

}  // namespace nerds
