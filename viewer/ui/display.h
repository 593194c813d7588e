// What the window shows of the worker's results: the newest render in the chosen mode (as a
// texture), and for a dataset camera its ground truth and the error of the newest full-size
// render against it. Colors are recomputed only when an image, the mode or the view changes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "viewer/core/image_colors.h"
#include "viewer/gl/texture.h"
#include "viewer/ui/view_tracker.h"

namespace nerds::viewer {

struct DisplayInfo {
  std::shared_ptr<const RenderedImage> image;  // the one on screen (may lag behind the camera)
  bool image_is_current = false;               // it renders this frame's view
  Colorized colors;                            // its color map's range, error and notes (no pixels)
  Texture main;
  // For a dataset camera: the ground truth, and the error of the newest full-size render.
  Texture truth, error;
  bool has_truth = false, has_error = false;
  double error_mse = -1.0;  // of the full-size render
  int error_step = -1;      // the model step it was measured at
};

class Display {
 public:
  void update(const WorkerState& worker, const ViewerState& state, const ViewTarget& view);
  const DisplayInfo& info() const { return info_; }

 private:
  // The ground truth of the current dataset view at width x height (cached).
  const std::vector<float>& truth_at(const SceneInfo& scene, const ViewTarget& view, int width, int height);

  DisplayInfo info_;
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
