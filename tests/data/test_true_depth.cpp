// The floater measure's inputs: a generated scene's depth maps as engine-frame ray distances
// (renderer/data/true_depth.h) and the share of a ray's weight off the surface
// (renderer/math/off_surface_weight.h).
#include <doctest/doctest.h>

#include <cmath>

#include "renderer/data/dataset.h"
#include "renderer/data/true_depth.h"
#include "renderer/math/off_surface_weight.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_scene.h"

using namespace nerds;

TEST_CASE("off-surface weight: the share of the weight farther than 5% of the depth from the surface") {
  OffSurfaceWeight s;
  s.add(9.4f, 0.2f, 10.f);   // 0.6 in front: off (more than 0.5)
  s.add(9.8f, 0.5f, 10.f);   // on
  s.add(10.4f, 0.2f, 10.f);  // on
  s.add(12.f, 0.1f, 10.f);   // off
  CHECK(s.share() == doctest::Approx(0.3 / 1.0));
  CHECK(OffSurfaceWeight{}.share() == 0.f);
}

TEST_CASE("true depth: a generated scene's depth maps are ray distances where the view shows the object") {
  nerds_test::TempFolder folder("true_depth");
  nerds_test::make_small_scene("default", folder.str(), 24, 2, 2);
  for (const int downscale : {1, 2}) {
    CAPTURE(downscale);
    DatasetOptions options;
    options.split = "test";
    options.downscale = downscale;
    const Dataset data = load_dataset(folder.str(), options);
    const std::vector<TrueDepth> truth = load_true_depth(data);
    REQUIRE(truth.size() == data.frames.size());
    for (size_t i = 0; i < truth.size(); ++i) {
      const Frame& f = data.frames[i];
      REQUIRE(truth[i].width == f.intrinsics.width);
      REQUIRE(truth[i].height == f.intrinsics.height);
      // The object lies within the box 0.5 +- 0.5 (the default scene's [-1.5, 1.5]^3 at scale
      // 0.33): its surface is no farther than the camera's distance to the box's far corner.
      const Vec3 centre = make_vec3(0.5f, 0.5f, 0.5f);
      const float to_centre = length(f.pose.origin() - centre);
      int surface = 0, opaque = 0;
      for (int y = 0; y < truth[i].height; ++y)
        for (int x = 0; x < truth[i].width; ++x) {
          const float d = truth[i].distance[static_cast<size_t>(y) * truth[i].width + x];
          if (d <= 0.f) continue;
          ++surface;
          CHECK(d > to_centre - 0.87f);
          CHECK(d < to_centre + 0.87f);
          opaque += data.image(i)[4 * (static_cast<size_t>(y) * truth[i].width + x) + 3] > 0 ? 1 : 0;
        }
      CHECK(surface > 0);
      // Where the depth (of the pixel centre's ray) says surface, the image (whose samples are
      // jittered inside the pixel) is opaque, but for some pixels on the object's outline.
      CHECK(opaque >= 0.85 * surface);
    }
  }
}
