#include "viewer/ui/display.h"

#include <cstring>

#include "viewer/core/dataset_cameras.h"
#include "viewer/core/grid_slice_colors.h"

namespace nerds::viewer {

namespace {
ShownTexture shown(const Texture& t) { return {t.imgui_id(), t.width(), t.height()}; }
}  // namespace

const std::vector<float>& Display::truth_at(const SceneInfo& scene, const ViewTarget& view, int width, int height) {
  for (const TruthCache& c : truth_cache_)
    if (c.width == width && c.height == height) return c.rgb;
  const Dataset* d = dataset_split(scene, view.dataset_view.split);
  TruthCache c;
  c.width = width;
  c.height = height;
  c.rgb = ground_truth_rgb(*d, static_cast<size_t>(view.dataset_view.index), view.target.background, width, height);
  truth_cache_.push_back(std::move(c));
  return truth_cache_.back().rgb;
}

void Display::update(const WorkerState& worker, const ViewerState& state, const ViewTarget& view) {
  const SceneInfo* scene = worker.scene.get();
  const bool dataset = scene && view.valid && dataset_frame(*scene, view.dataset_view);
  // A new dataset camera, scene or background: new ground truth.
  if (!dataset || !(truth_view_ == view.dataset_view) || truth_scene_ != worker.scene_version ||
      std::memcmp(truth_background_, view.target.background, sizeof truth_background_) != 0) {
    truth_cache_.clear();
    truth_view_ = dataset ? view.dataset_view : DatasetView{};
    truth_scene_ = worker.scene_version;
    std::memcpy(truth_background_, view.target.background, sizeof truth_background_);
    info_.has_truth = false;
    info_.has_error = false;
    error_image_.reset();
    if (dataset) {
      const Intrinsics& k = view.target.intrinsics;
      const ColorImage img = to_color_image(truth_at(*scene, view, k.width, k.height), k.width, k.height);
      truth_.upload(img.width, img.height, img.rgba.data(), true);
      info_.truth = shown(truth_);
      info_.has_truth = true;
    }
  }
  const std::shared_ptr<const RenderedImage>& image = worker.image;
  const bool current = image && view.valid && image->view_version == view.target.version;
  if (image && (image != info_.image || state.view.mode != shown_mode_ || current != info_.image_is_current ||
                shown_version_ != view.target.version)) {
    std::vector<float> none;
    const std::vector<float>& truth =
        current && dataset ? truth_at(*scene, view, image->intrinsics.width, image->intrinsics.height) : none;
    Colorized c = colorize(*image, state.view.mode, truth);
    // Dataset cameras are shown pixel for pixel (the error is per pixel); free views smoothly.
    main_.upload(c.image.width, c.image.height, c.image.rgba.data(), dataset && current);
    main_pixels_ = std::move(c.image);
    c.image = ColorImage();
    info_.colors = std::move(c);
    info_.image = image;
    info_.image_is_current = current;
    shown_mode_ = state.view.mode;
    shown_version_ = view.target.version;
    if (current && dataset && image->finest && image != error_image_) {
      const Colorized e = colorize(*image, RenderMode::Error, truth);
      error_.upload(e.image.width, e.image.height, e.image.rgba.data(), true);
      info_.error = shown(error_);
      info_.has_error = true;
      info_.error_mse = e.mse;
      info_.error_step = image->step;
      error_image_ = image;
    }
  }
  if (!image) {
    info_.image.reset();
    info_.image_is_current = false;
  }
  if (worker.grid_slice != grid_slice_source_) {
    grid_slice_source_ = worker.grid_slice;
    info_.has_grid_slice = grid_slice_source_ && !grid_slice_source_->slice.values.empty();
    if (info_.has_grid_slice) {
      const GridSliceColors c = colorize_grid_slice(grid_slice_source_->slice);
      grid_slice_.upload(c.image.width, c.image.height, c.image.rgba.data(), false);
      info_.grid_slice = shown(grid_slice_);
      info_.grid_slice_scale = c.scale;
    }
  }
}

}  // namespace nerds::viewer
