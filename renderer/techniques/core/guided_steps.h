// Guided steps: a paper card's short walk through what its toggle shows (papers/README.md,
// "Guided steps"). Each step sets some of the camera (a dataset view or a pose), the render
// mode, the image size, the inspected rays and the toggle (which arm is shown), with one line
// of text; the viewer's Next / Previous buttons walk through them. Read strictly, as the rest
// of the card: an unknown key, a wrong type or a value out of range is an InputError naming the
// card file and the field ("papers/mip-nerf.json: steps[1].mode: ...").
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "renderer/data/dataset.h"

namespace nerds {

// The render modes a step may name: the viewer's (viewer/core/viewer_state.h, render_mode_name).
const std::vector<std::string>& guided_step_modes();
// The dataset splits a step's camera may name.
const std::vector<std::string>& guided_step_splits();
// At most this many inspected rays per step: the viewer inspects two rays at a time.
constexpr size_t kMaxGuidedStepRays = 2;
// Largest image-size divisor ("1/64") and side of an explicit size.
constexpr int kMaxGuidedStepDivisor = 64;
constexpr int kMaxGuidedStepSide = 8192;

// Where the camera goes: a dataset view (split + index: the index-th frame of that split of
// the data the model trains on, at that frame's size and intrinsics) or a pose.
struct GuidedStepCamera {
  std::string split;  // "train", "val" or "test"; "" for a pose
  int index = -1;
  // A camera-to-world matrix in the dataset's world frame, as its transforms files write
  // `transform_matrix` (OpenGL convention); the field of view stays the view's own. Kept as
  // written (3 or 4 rows) so the card re-emits it exactly.
  std::vector<std::array<double, 4>> pose;
  bool is_dataset_view() const { return !split.empty(); }
};

// The rendered image's size: 1/divisor of the view's size, or width x height pixels.
struct GuidedStepSize {
  int divisor = 0;  // > 0: "1/divisor"
  int width = 0, height = 0;
};

// Which of the card's toggles, and what is shown: its "off" arm (A), its "on" arm (B), or both
// side by side. In a single-model view, "off" / "on" set the toggle's parameter to that value.
struct GuidedStepToggle {
  std::string choice;  // as written: the toggle's parameter, or PARAM=OFF when several share one
  std::string show;    // "off", "on" or "both"
  int index = -1;      // the toggle in the card's list (resolved by the card's reader)
};

struct GuidedStep {
  std::string text;  // one line
  std::optional<GuidedStepCamera> camera;
  std::string mode;  // one of guided_step_modes(); "" leaves it as it is
  std::optional<GuidedStepSize> size;
  // Rays to inspect: pixels [x, y] (column to the right, row down, from the top-left corner)
  // of the step's dataset view, at that view's size.
  std::vector<std::array<int, 2>> rays;
  std::optional<GuidedStepToggle> toggle;
};

// Reads the card's "steps" array (`steps` is that JSON value). The toggle's choice is checked
// for shape only: the card's reader resolves it against the card's toggles.
std::vector<GuidedStep> read_guided_steps(const nlohmann::json& steps, const std::string& file);
// One step in its file's form (optional fields only when set).
nlohmann::ordered_json guided_step_json(const GuidedStep& step);

// Checks the steps' dataset views of `split_views.split` against that split: the index names
// a frame of it and each ray lies inside that frame's image. Throws InputError naming `file`
// (the card) and the step's field.
void check_guided_step_views(const std::vector<GuidedStep>& steps, const Dataset& split_views, const std::string& file);

// The engine-frame pose of a step's camera over `views` (the split it names, or any split of
// the data for an explicit pose): a dataset view's own pose, or the explicit matrix mapped by
// the dataset's scale and offset (to_engine_frame). The step must have a camera, and a view's
// index must lie in `views` (check_guided_step_views).
Pose guided_step_pose(const GuidedStepCamera& camera, const Dataset& views);

// A step's ray as the viewer's inspector takes it: the pixel's centre, normalized to [0,1]^2
// over an image of width x height pixels.
std::array<float, 2> guided_ray_view_point(const std::array<int, 2>& pixel, int width, int height);

}  // namespace nerds
