// One call to make a small sample scene for a test: the scene generator's options spelled
// out once (no validation views; a few jittered samples per pixel keep making it fast).
#pragma once

#include <cstdint>
#include <string>

#include "scenes/generator/scene_maker.h"

namespace nerds_test {

inline nerds::scenes::SceneOptions small_scene_options(int resolution, int train_views, int test_views,
                                                       int samples_per_pixel = 1, uint32_t seed = 1) {
  nerds::scenes::SceneOptions o;
  o.resolution = resolution;
  o.train_views = train_views;
  o.val_views = 0;
  o.test_views = test_views;
  o.samples_per_pixel = samples_per_pixel;  // a scene may raise it to its own minimum
  o.seed = seed;
  return o;
}

inline void make_small_scene(const std::string& name, const std::string& dir, int resolution, int train_views,
                             int test_views, int samples_per_pixel = 1, uint32_t seed = 1) {
  nerds::scenes::make_scene(name, dir, small_scene_options(resolution, train_views, test_views, samples_per_pixel, seed));
}

// The sampler tests' scene: the default scene at 32 px with 20 training views.
inline void make_small_default_scene(const std::string& dir) { make_small_scene("default", dir, 32, 20, 3, 2); }

}  // namespace nerds_test
