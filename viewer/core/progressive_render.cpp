#include "viewer/core/progressive_render.h"

#include <algorithm>
#include <stdexcept>

#include "viewer/core/view_geometry.h"

namespace nerds::viewer {

std::vector<int> progressive_divisors(const Intrinsics& k, int coarse_rays) {
  std::vector<int> divisors = {1};
  const int64_t pixels = static_cast<int64_t>(k.width) * k.height;
  int d = 1;
  // Halve the resolution until the image fits the coarse budget (or is about one pixel).
  while (pixels / (static_cast<int64_t>(d) * d) > std::max(coarse_rays, 1) && d < std::max(k.width, k.height)) {
    d *= 2;
    divisors.insert(divisors.begin(), d);
  }
  return divisors;
}

void ProgressiveRender::start(const RenderTarget& target, int coarse_rays, bool finest_only) {
  target_ = target;
  divisors_ = finest_only ? std::vector<int>{1} : progressive_divisors(target.intrinsics, coarse_rays);
  level_ = 0;
  next_row_ = 0;
  level_done_ = false;
  active_ = true;
  buffer_ = RenderBuffers();
  level_step_ = -1;
  band_steps_.clear();
  restarts_ = 0;
}

ProgressiveRender::Band ProgressiveRender::next_band(int max_rays) const {
  if (!active_ || level_done_) throw std::logic_error("ProgressiveRender::next_band without a band to render");
  Band b;
  b.divisor = divisors_[level_];
  b.level = downscaled(target_.intrinsics, b.divisor);
  b.y0 = next_row_;
  b.rows = std::clamp(max_rays / std::max(b.level.width, 1), 1, b.level.height - next_row_);
  b.band = band_of(b.level, b.y0, b.rows);
  return b;
}

bool ProgressiveRender::store(const Band& band, const RenderBuffers& out, int model_step) {
  const size_t w = static_cast<size_t>(band.level.width), n = w * band.rows;
  if (out.opacity.size() != n || out.rgb.size() != 3 * n || band.y0 != next_row_)
    throw std::logic_error("ProgressiveRender::store: not the band that was asked for");
  if (band.y0 == 0) {
    buffer_.resize(w * band.level.height);
    level_step_ = model_step;
    band_steps_.clear();
  } else if (model_step != level_step_) {
    // The model moved on under the level: its rows so far show another state. Start it again.
    next_row_ = 0;
    level_step_ = -1;
    band_steps_.clear();
    ++restarts_;
    return false;
  }
  band_steps_.push_back(model_step);
  const size_t at = static_cast<size_t>(band.y0) * w;
  std::copy(out.rgb.begin(), out.rgb.end(), buffer_.rgb.begin() + 3 * at);
  std::copy(out.depth.begin(), out.depth.end(), buffer_.depth.begin() + at);
  std::copy(out.opacity.begin(), out.opacity.end(), buffer_.opacity.begin() + at);
  std::copy(out.samples.begin(), out.samples.end(), buffer_.samples.begin() + at);
  if (!out.layer.empty()) {  // a layer beyond colour (Engine::render with a LayerRequest)
    if (out.layer.size() != 3 * n) throw std::logic_error("ProgressiveRender::store: the band's layer has another size");
    buffer_.layer.resize(3 * w * band.level.height);
    std::copy(out.layer.begin(), out.layer.end(), buffer_.layer.begin() + 3 * at);
  }
  next_row_ += band.rows;
  level_done_ = next_row_ >= band.level.height;
  return level_done_;
}

ProgressiveRender::Level ProgressiveRender::take_level() {
  if (!level_done_) throw std::logic_error("ProgressiveRender::take_level before the level is complete");
  Level done;
  done.divisor = divisors_[level_];
  done.intrinsics = downscaled(target_.intrinsics, done.divisor);
  done.buffers = std::move(buffer_);
  done.model_step = level_step_;
  done.band_steps = std::move(band_steps_);
  buffer_ = RenderBuffers();
  band_steps_.clear();
  level_step_ = -1;
  ++level_;
  next_row_ = 0;
  level_done_ = false;
  if (level_ >= divisors_.size()) active_ = false;
  return done;
}

}  // namespace nerds::viewer
