#include "viewer/core/viewer_state.h"

namespace nerds::viewer {

namespace {
const char* const kModeNames[kRenderModeCount] = {"rgb", "depth", "opacity", "samples", "error"};
}

const char* render_mode_name(RenderMode mode) {
  const int i = static_cast<int>(mode);
  return i >= 0 && i < kRenderModeCount ? kModeNames[i] : "rgb";
}

bool parse_render_mode(const std::string& name, RenderMode* mode) {
  for (int i = 0; i < kRenderModeCount; ++i) {
    if (name == kModeNames[i]) {
      *mode = static_cast<RenderMode>(i);
      return true;
    }
  }
  return false;
}

}  // namespace nerds::viewer
