// Applying a paper card's guided step (renderer/techniques/core/guided_steps.h) to the window:
// the camera (a dataset view, or a pose looked from), the render mode, the image size, the
// inspected rays, and which arm is shown or which toggle is compared. What the step does not
// set stays as it is. No window needed: the window and the tests call it alike.
#pragma once

#include <string>

#include "renderer/techniques/core/compare_arms.h"
#include "renderer/techniques/core/guided_steps.h"
#include "viewer/core/viewer_state.h"
#include "viewer/core/worker_state.h"

namespace nerds::viewer {

struct GuidedStepEffect {
  bool picks_changed = false;  // the inspected rays changed: send them (and clear the others)
  std::string toggle;          // the card's toggle the step compares, when not the plan's ("" = keep)
  std::string note;            // what could not be applied (a split the viewer has not), "" when all was
};

// Sets `state` to step `index` of `steps` (state.guided_step = index). `plan`: the running
// compare (its toggle index tells whether the step's toggle needs a re-plan). A step showing
// one arm ("off" / "on") shows it whole in the split layout. `view_width`: the view's width in
// pixels, for a step's explicit image width.
GuidedStepEffect apply_guided_step(ViewerState& state, const SceneInfo& scene, const std::vector<GuidedStep>& steps,
                                   int index, const ComparePlan& plan, float view_width);

}  // namespace nerds::viewer
