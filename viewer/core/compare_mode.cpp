#include "viewer/core/compare_mode.h"

#include <cstdio>

#include "renderer/error.h"
#include "renderer/techniques/core/paper_cards.h"

namespace nerds::viewer {

CompareMode prepare_compare(const CompareRequest& request, const std::string& scene_dir,
                            const scenes::SceneOptions& scene_options, const Session& fallback) {
  CompareMode m;
  m.request = request;
  m.plan = plan_compare(request, paper_cards());
  m.downscale = fallback.downscale;
  if (m.plan.scene.empty()) {  // a free compare without a card: the viewer's own data
    if (!fallback.make_scene.empty())
      scenes::ensure_scene(fallback.make_scene, fallback.data_dir, fallback.scene_options);
    m.data_dir = fallback.data_dir;
  } else {
    const std::string dir = scene_dir.empty() ? "runs/compare-" + m.plan.scene : scene_dir;
    std::fprintf(stderr, "nerds-view: compare mode on the '%s' scene in %s (made once)\n", m.plan.scene.c_str(),
                 dir.c_str());
    // As `nerds ablate` makes it; made once, refused (never made over) when the folder holds another.
    scenes::ensure_scene(m.plan.scene, dir, scene_options);
    m.data_dir = compare_data_folder(dir);
  }
  return m;  // as given: the engine opens it by its absolute path (open_engine)
}

CompareMode compare_from_session(const Session& session) {
  if (!session.compare) throw InputError("session", "compare", "not a compare session");
  CompareMode m;
  m.request = session.compare->request;
  m.plan = plan_compare(m.request, paper_cards());
  m.data_dir = session.data_dir;
  m.downscale = session.downscale;
  m.guided_step = session.compare->guided_step;
  return m;
}

EngineSetup arm_setup(const CompareMode& mode, const CompareArm& arm) {
  EngineSetup e;
  e.data_dir = mode.data_dir;
  e.downscale = mode.downscale;
  e.method_name = arm.method_name;
  e.params = arm.params;
  return e;
}

std::string arm_title(const CompareMode& mode, int arm) {
  return std::string(arm == 0 ? "A " : "B ") + (arm == 0 ? mode.plan.a.label : mode.plan.b.label);
}

}  // namespace nerds::viewer
