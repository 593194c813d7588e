// nerds-view: watch a NeRF train, fly around it and look inside it (GLFW + Dear ImGui +
// OpenGL 3.3 core over renderer/engine.h). Bad input (options, files, parameters) ends with
// "nerds-view: error: <message>" and exit status 2, never a crash; see viewer/core/viewer_options.h.
#include <cstdio>
#include <exception>
#include <optional>

#include "camera_path/camera_path_file.h"
#include "renderer/error.h"
#include "viewer/core/compare_mode.h"
#include "viewer/core/viewer_options.h"
#include "viewer/ui/app.h"

int main(int argc, char** argv) {
  using namespace nerds::viewer;
  ViewerOptions options;
  int exit_code = 0;
  if (!parse_viewer_options(argc, argv, &options, &exit_code)) return exit_code;
  try {
    const Session session = starting_session(options);
    if (!options.camera_path_file.empty()) options.camera_path = nerds::read_camera_path(options.camera_path_file);
    std::optional<CompareMode> compare;
    if (options.compare) {  // the arms' plan and their scene, before the window opens
      compare = prepare_compare(compare_request(options), options.scene_dir, compare_scene_options(options), session);
      compare->guided_step = options.guided_step;
    } else if (session.compare) {  // a compare session
      compare = compare_from_session(session);
    }
    App app(options, session, std::move(compare));
    return app.run();
  } catch (const nerds::InputError& e) {
    std::fprintf(stderr, "nerds-view: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nerds-view: error: %s\n", e.what());
    return 1;
  }
}
