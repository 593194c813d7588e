#include "viewer/ui/layout.h"

#include <algorithm>

namespace nerds::viewer {

Layout compute_layout(float width, float height) {
  // Panels keep a readable width; the view gets what is left, at least a third of the window.
  const float left = std::clamp(width * 0.27f, 250.f, 360.f);
  const float right = std::clamp(width * 0.29f, 260.f, 420.f);
  const float scale = std::min(1.f, width * (2.f / 3.f) / (left + right));
  Layout l;
  l.left = {0.f, 0.f, left * scale, height};
  l.right = {width - right * scale, 0.f, right * scale, height};
  l.view = {l.left.w, 0.f, std::max(width - l.left.w - l.right.w, 1.f), height};
  return l;
}

}  // namespace nerds::viewer
