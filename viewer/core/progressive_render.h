// Progressive rendering on the CPU backend: a view is rendered first at a small size (a few
// thousand rays: fast enough to follow a moving camera) and then at twice the resolution,
// level after level, up to the full size while the camera stays still. Each level is
// rendered in bands of rows, so the worker can take a training step between two bands and a
// full-size render never stalls training (or a newer camera) for long. A level shows one
// model state: every band of it must come from the same training step (the worker renders
// them from a frozen copy of the model); a band of another step restarts the level.
#pragma once

#include <cstdint>
#include <vector>

#include "renderer/engine.h"

namespace nerds::viewer {

// One view to render: the finest image's camera and what lies behind the scene.
struct RenderTarget {
  uint64_t version = 0;  // changes whenever the camera, the size or the background does
  Pose pose;
  Intrinsics intrinsics;  // the full-size image
  float background[3] = {1.f, 1.f, 1.f};
  LayerRequest layer;  // a layer beyond colour the render mode shows (none: colour, depth, opacity)
};

// The divisors a view is refined through, coarsest first, ending with 1; the coarsest image
// has at most `coarse_rays` pixels, and each next one doubles the resolution.
std::vector<int> progressive_divisors(const Intrinsics& k, int coarse_rays);

class ProgressiveRender {
 public:
  struct Band {
    int divisor = 1;
    Intrinsics level;  // the whole image at this level
    int y0 = 0, rows = 0;
    Intrinsics band;  // just rows [y0, y0 + rows): what to pass to Engine::render
  };

  // Starts refining `target`; finest_only skips the coarse levels (re-rendering a still
  // camera for a newer model: the old full-size image stays up until the new one is done).
  void start(const RenderTarget& target, int coarse_rays, bool finest_only);
  void stop() { active_ = false; }
  bool active() const { return active_; }
  const RenderTarget& target() const { return target_; }
  int levels() const { return static_cast<int>(divisors_.size()); }

  // The next band: whole rows, at most max_rays rays but at least one row.
  Band next_band(int max_rays) const;
  // Stores a band (its buffers hold band.rows * level width rays) rendered from the model
  // state of training step `model_step`. Returns true when it completed a level: take_level()
  // then hands the image over. A band from another step than the level's first band is not
  // stored: the level restarts from its first row (restarts() counts it) and this returns false.
  bool store(const Band& band, const RenderBuffers& out, int model_step);
  // The model step the level in progress is rendered from; -1 before its first band.
  int level_step() const { return level_step_; }
  // Levels restarted because a band came from another model state (since start()).
  int restarts() const { return restarts_; }

  // A completed level: its image, the model step every one of its bands was rendered from
  // (band_steps: one per band, in order, all equal to model_step).
  struct Level {
    RenderBuffers buffers;
    Intrinsics intrinsics;
    int divisor = 1;
    int model_step = -1;
    std::vector<int> band_steps;
  };
  // The completed level (its image moved out); then moves on to the next level, or ends
  // (active() false) after the finest.
  Level take_level();

 private:
  RenderTarget target_;
  std::vector<int> divisors_;
  size_t level_ = 0;
  int next_row_ = 0;
  bool level_done_ = false;
  bool active_ = false;
  RenderBuffers buffer_;
  int level_step_ = -1;
  std::vector<int> band_steps_;
  int restarts_ = 0;
};

}  // namespace nerds::viewer
