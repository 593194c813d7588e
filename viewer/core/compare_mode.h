// Compare mode (issue 15): one scene trained twice from the same seed, arm A with a technique
// off and arm B with it on, each by its own EngineWorker. Here the window's side of it that
// needs no window: the request and its plan (renderer/techniques/core/compare_request.h), the
// folder both arms train on (the card's sample scene made once under runs/, as `nerds ablate`
// makes it), each arm's engine setup, and how the two images are drawn (side by side, split by
// a wipe line, or their difference).
#pragma once

#include <array>
#include <string>

#include "renderer/techniques/core/compare_request.h"
#include "viewer/core/engine_setup.h"
#include "viewer/core/session.h"

namespace nerds::viewer {

// What compare mode runs: the request as the user gave it, its two arms, and the data.
struct CompareMode {
  CompareRequest request;
  ComparePlan plan;
  std::string data_dir;  // the folder both arms train and test on
  int downscale = 1;
  int guided_step = -1;  // the card's guided step shown (-1: none)
};

// Plans the arms (plan_compare over the cards) and settles the data they run on: the plan's
// sample scene made in `scene_dir` ("" = runs/compare-SCENE) at the compare size
// (kCompareScene*, or `scene_options`' values when the user gave them), once (not remade when
// the folder holds it), then its multires/ folder when it has one (compare_data_folder); a
// free compare without a card runs on `fallback` (the viewer's session: --data, or the
// built-in scene, made here). `status` hears what is being made. Throws InputError.
CompareMode prepare_compare(const CompareRequest& request, const std::string& scene_dir,
                            const scenes::SceneOptions& scene_options, const Session& fallback);

// Compare mode as a session file reopens it: the session's request planned again over its
// data folder (the one the arms trained on; no scene is made), its view and guided step.
CompareMode compare_from_session(const Session& session);

// The engine setup of one arm: the mode's data, the arm's whole parameter set.
EngineSetup arm_setup(const CompareMode& mode, const CompareArm& arm);

// A one-line label of an arm for the window: "A off: encoding.kind=frequency".
std::string arm_title(const CompareMode& mode, int arm);

}  // namespace nerds::viewer
