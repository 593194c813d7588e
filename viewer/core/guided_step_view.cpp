#include "viewer/core/guided_step_view.h"

#include <algorithm>

#include "viewer/core/dataset_cameras.h"

namespace nerds::viewer {

GuidedStepEffect apply_guided_step(ViewerState& state, const SceneInfo& scene, const std::vector<GuidedStep>& steps,
                                   int index, const ComparePlan& plan, float view_width) {
  GuidedStepEffect effect;
  if (index < 0 || index >= static_cast<int>(steps.size())) return effect;
  const GuidedStep& step = steps[static_cast<size_t>(index)];
  state.guided_step = index;
  if (!step.mode.empty()) parse_render_mode(step.mode, &state.view.mode);
  if (step.size) {  // of a free view; a dataset view renders at its own size
    const GuidedStepSize& s = *step.size;
    state.view.render_scale =
        s.divisor > 0 ? 1.f / s.divisor : std::clamp(s.width / std::max(view_width, 1.f), 0.05f, 2.f);
  }
  const Frame* frame = nullptr;
  if (step.camera && step.camera->is_dataset_view()) {
    const DatasetView view{step.camera->split, step.camera->index};
    frame = dataset_frame(scene, view);
    if (frame)
      snap_to_dataset_view(state, scene, view);
    else
      effect.note = "guided step " + std::to_string(index + 1) + ": the viewer has no " + view.split + " view " +
                    std::to_string(view.index) + " in this data";
  } else if (step.camera) {
    state.view.dataset_view = DatasetView{};
    state.camera.look_from(guided_step_pose(*step.camera, *scene.train), make_vec3(0.5f, 0.5f, 0.5f));
  }
  if (!step.rays.empty() && frame) {
    for (size_t slot = 0; slot < state.picks.size(); ++slot) {
      RayPick& p = state.picks[slot];
      p = RayPick{};
      if (slot >= step.rays.size()) continue;
      const std::array<float, 2> uv =
          guided_ray_view_point(step.rays[slot], frame->intrinsics.width, frame->intrinsics.height);
      p.active = true;
      p.u = uv[0];
      p.v = uv[1];
    }
    effect.picks_changed = true;
  }
  if (step.toggle) {
    const GuidedStepToggle& t = *step.toggle;
    if (plan.toggle_index >= 0 && t.index >= 0 && t.index != plan.toggle_index) effect.toggle = t.choice;
    if (t.show == "off" || t.show == "on") {  // one arm, whole: the split layout with the line at an edge
      state.compare.layout = CompareLayout::Split;
      state.compare.split = t.show == "off" ? 1.f : 0.f;
    }
  }
  return effect;
}

}  // namespace nerds::viewer
