// Fuzz target: a viewer session file (viewer/core/session.cpp; no window: only the parsing).
// The input is the session file; it is read as `nerds-view --session FILE` reads it, its
// method parameters are applied over the defaults as the viewer's engine setup does, and a
// session that reads must write back to JSON that reads again (the viewer's "save session").
#include "fuzz/fuzz_support.h"
#include "renderer/techniques/core/method_files.h"
#include "viewer/core/session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = (nerds_fuzz::scratch_subfolder("session") / "look.json").string();
  nerds_fuzz::write_bytes(path, data, size);
  return nerds_fuzz::expect_input_error_or_success([&] {
    const nerds::viewer::Session session = nerds::viewer::read_session(path);
    nerds::ParamSet params = nerds::default_method_params();
    params.apply_json(session.params, path);
    const nlohmann::json saved = nerds::viewer::session_to_json(session);
    try {
      nerds::viewer::session_from_json(saved, path, "");
    } catch (const nerds::InputError&) {
      std::abort();  // a session the viewer read must survive its own save
    }
  });
}
