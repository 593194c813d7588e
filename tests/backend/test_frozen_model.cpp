// Engine::freeze / render_frozen: the frozen copy renders exactly what the model rendered when
// it was frozen, while training moves the live model on (the viewer's bands of one image).
#include <doctest/doctest.h>

#include "renderer/engine.h"
#include "renderer/math/camera.h"
#include "tests/data/temp_folder.h"
#include "tests/test_support/small_engine.h"

using namespace nerds;

TEST_CASE("frozen model: renders the state it copied while the live model trains on") {
  nerds_test::TempFolder folder("frozen_model");
  const std::unique_ptr<Engine> engine = nerds_test::small_engine(folder.str(), {"trainer.batch_samples=4096"});
  Engine& e = *engine;
  const Frame& f = e.train_set().frames[0];
  const float bg[3] = {1.f, 1.f, 1.f};
  CHECK(e.frozen_step() == -1);
  CHECK_THROWS_AS(e.render_frozen(f.pose, f.intrinsics, bg), std::logic_error);
  for (int i = 0; i < 3; ++i) e.train_step();
  const RenderBuffers before = e.render(f.pose, f.intrinsics, bg);
  e.freeze();
  CHECK(e.frozen_step() == 3);
  CHECK(e.render_frozen(f.pose, f.intrinsics, bg).rgb == before.rgb);
  for (int i = 0; i < 20; ++i) e.train_step();
  const RenderBuffers live = e.render(f.pose, f.intrinsics, bg);
  CHECK(live.rgb != before.rgb);  // the model moved on...
  const RenderBuffers frozen = e.render_frozen(f.pose, f.intrinsics, bg);
  CHECK(frozen.rgb == before.rgb);  // ...the copy did not
  CHECK(frozen.depth == before.depth);
  CHECK(frozen.samples == before.samples);
  e.freeze();  // a newer copy, in the same storage
  CHECK(e.frozen_step() == 23);
  CHECK(e.render_frozen(f.pose, f.intrinsics, bg).rgb == live.rgb);
}
