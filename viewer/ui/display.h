// The window's side of what it shows (core/display_info.h): uploads the newest render in the
// chosen mode, and for a dataset camera its ground truth and the error of the newest
// full-size render against it, into textures. Colors are recomputed only when an image, the
// mode or the view changes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "viewer/core/display_info.h"
#include "viewer/core/view_tracker.h"
#include "viewer/gl/texture.h"

namespace nerds::viewer {

class Display {
 public:
  void update(const WorkerState& worker, const ViewerState& state, const ViewTarget& view);
  const DisplayInfo& info() const { return info_; }
  // The newest render in the chosen mode (info().image, colorized).
  const Texture& main_texture() const { return main_; }
  // Its pixels as uploaded (compare mode's difference view reads both arms').
  const ColorImage& main_pixels() const { return main_pixels_; }

 private:
  // The ground truth of the current dataset view at width x height (cached).
  const std::vector<float>& truth_at(const SceneInfo& scene, const ViewTarget& view, int width, int height);

  DisplayInfo info_;
  Texture main_, truth_, error_, grid_slice_;
  ColorImage main_pixels_;
  std::shared_ptr<const GridSliceResult> grid_slice_source_;
  RenderMode shown_mode_ = RenderMode::Rgb;
  uint64_t shown_version_ = 0;  // the view version the colors were made for
  std::shared_ptr<const RenderedImage> error_image_;
  DatasetView truth_view_;
  uint64_t truth_scene_ = 0;
  float truth_background_[3] = {-1.f, -1.f, -1.f};
  struct TruthCache {
    int width = 0, height = 0;
    std::vector<float> rgb;
  };
  std::vector<TruthCache> truth_cache_;
};

}  // namespace nerds::viewer
