#include "cli/side_by_side_image.h"

#include <cstddef>

namespace nerds::cli {

Image8 side_by_side(const std::vector<Image8>& parts) {
  Image8 out;
  out.channels = 3;
  out.height = parts.front().height;
  for (const Image8& p : parts) out.width += p.width;
  out.pixels.assign(static_cast<size_t>(out.width) * out.height * 3, 0);
  int x0 = 0;
  for (const Image8& p : parts) {
    for (int y = 0; y < p.height; ++y)
      for (int x = 0; x < p.width; ++x)
        for (int c = 0; c < 3; ++c)
          out.pixels[(static_cast<size_t>(y) * out.width + x0 + x) * 3 + c] =
              p.pixels[(static_cast<size_t>(y) * p.width + x) * p.channels + c];
    x0 += p.width;
  }
  return out;
}

}  // namespace nerds::cli
