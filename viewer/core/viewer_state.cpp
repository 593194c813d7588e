#include "viewer/core/viewer_state.h"

namespace nerds::viewer {

namespace {
const char* const kModeNames[kRenderModeCount] = {"rgb",     "depth",    "opacity", "samples",   "error",
                                                   "normals", "predicted-normals", "diffuse", "specular",
                                                   "static",  "transient", "uncertainty"};
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

const char* compare_layout_name(CompareLayout layout) {
  switch (layout) {
    case CompareLayout::SideBySide:
      return "side-by-side";
    case CompareLayout::Split:
      return "split";
    case CompareLayout::Difference:
      return "difference";
  }
  return "side-by-side";
}

bool parse_compare_layout(const std::string& name, CompareLayout* layout) {
  for (int i = 0; i < kCompareLayoutCount; ++i) {
    const auto l = static_cast<CompareLayout>(i);
    if (name == compare_layout_name(l)) {
      *layout = l;
      return true;
    }
  }
  return false;
}

}  // namespace nerds::viewer
