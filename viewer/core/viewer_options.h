// nerds-view's command line, and the session it starts with. Without arguments the viewer
// makes the built-in `default` scene in runs/view-default (once) and trains it live; --data,
// --run and --session open something else. The scripted mode (--frames N --screenshot PATH)
// renders N frames in a real window, writes the screenshot and exits: tests and docs use it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "camera_path/camera_path.h"
#include "renderer/techniques/core/compare_request.h"
#include "renderer/techniques/core/paper_cards.h"
#include "viewer/core/engine_setup.h"
#include "viewer/core/session.h"

namespace nerds::viewer {

struct ViewerOptions {
  // What to open (at most one of data / run / session; none: the built-in scene).
  std::string data_dir, run_dir, session_file;
  std::string scene = "default";                    // the built-in scene made when nothing else is given
  std::string scene_dir;                            // where it is made ("" = runs/view-<scene>)
  int scene_resolution = 0, scene_train_views = 0;  // 0: the scene maker's defaults
  int scene_test_views = -1;                        // -1: the scene maker's default
  int downscale = 0;                                // 0: the session's (1)
  std::string method;
  std::vector<std::string> sets;
  std::string paper;                    // --paper ID: show this paper card (papers/ID.json)
  std::optional<PaperCard> paper_card;  // the card it names, read when the options are parsed
  // Compare mode (compare_mode.h): --paper ID and/or --compare [PARAM[=OFF]], --toggle.
  bool compare = false;        // compare mode: --paper without --run/--session, or --compare
  std::string compare_param;   // --compare PARAM[=OFF] ("" with --paper: the card's toggle)
  std::string toggle;          // --toggle: which of the card's toggles
  std::string compare_layout;  // --compare-view: side-by-side, split or difference
  float compare_split = -1.f;  // --split: the wipe line's place (0..1)
  int guided_step = -1;        // --guided-step K: the card's step K (1-based on the command line; 0-based here)
  std::string camera_path_file;           // --camera-path FILE: into the camera-path panel
  std::optional<CameraPath> camera_path;  // read by main() before the window opens
  // Overrides of the session.
  int step = -1;                     // train to this step first
  bool paused = false;               // do not keep training after that
  int threads = -1;                  // training threads (0: all)
  std::vector<std::string> inspect;  // "u,v" points of the view
  std::string dataset_view;          // "train:3" / "test:0"
  std::string mode;                  // render mode
  // Scripted mode: the render modes the drawn frames switch through, one a frame in turn (the
  // last one stays for the screenshot). Checked names (parse_render_modes).
  std::vector<RenderMode> modes;
  float render_scale = 0.f;
  // Window and scripted mode.
  int width = 1280, height = 720;
  int frames = 0;  // > 0: scripted mode
  std::string screenshot, frame_times;
  std::string save_session;        // scripted mode: also save the session (as the Save button does) at the end
  float orbit_per_frame = 0.f;     // scripted mode: turn the camera this many degrees per counted frame
  double timeout_seconds = 900.0;  // scripted mode gives up (exit 1) after this long
  std::optional<GridSliceSettings> grid_slice;  // --grid-slice: the grid-slice view open at this level and plane
};

// A comma-separated list of render mode names (--modes); throws InputError naming `option`
// for an unknown one.
std::vector<RenderMode> parse_render_modes(const std::string& list, const std::string& option);

// Parses argv; prints help / errors and returns false with *exit_code set when the program
// should stop (0 for --help).
bool parse_viewer_options(int argc, char** argv, ViewerOptions* options, int* exit_code);

// The session to start with: the session file, --run's snapshot, --data, or the built-in
// scene, with the command line's overrides applied. Throws InputError for bad values.
Session starting_session(const ViewerOptions& options);

// Compare mode's request (--paper, --toggle, --compare, --method, --set) and the size its
// sample scene is made at: kCompareScene*, or --scene-resolution / --scene-views / --scene-test-views.
CompareRequest compare_request(const ViewerOptions& options);
scenes::SceneOptions compare_scene_options(const ViewerOptions& options);

// "0.5,0.25" -> {0.5, 0.25}, each in [0, 1]; "train:3" -> {"train", 3}. Throw InputError
// naming the option.
std::array<float, 2> parse_point(const std::string& text, const std::string& option);
DatasetView parse_dataset_view(const std::string& text, const std::string& option);
// "LEVEL[:AXIS[:OFFSET]]" (AXIS x, y or z; OFFSET in [0, 1]), e.g. "8:z:0.5" -> the grid-slice
// view open at that level and plane. Throws InputError naming the option.
GridSliceSettings parse_grid_slice(const std::string& text, const std::string& option);

// The engine setup for a session (the method's parameters with the session's applied over).
EngineSetup engine_setup(const Session& session, const std::string& source);

}  // namespace nerds::viewer
