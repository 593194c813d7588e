// nerds-view's window and frame loop: the worker thread owns the engine; each frame the window
// reads the worker's newest published state, handles the mouse and keys, tells the worker
// which view to render, draws the newest render with the overlays and the panels, and handles
// screenshots and session files. In scripted mode a ScriptedRun decides when it is done.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "viewer/core/compare_difference.h"
#include "viewer/core/compare_mode.h"
#include "viewer/core/engine_worker.h"
#include "viewer/core/session.h"
#include "viewer/core/view_tracker.h"
#include "viewer/core/viewer_options.h"
#include "viewer/gl/scene_drawing.h"
#include "viewer/ui/display.h"
#include "viewer/ui/layout.h"
#include "viewer/ui/scripted_run.h"
#include "viewer/ui/view_input.h"
#include "viewer/ui/window.h"

namespace nerds::viewer {

class App {
 public:
  // With `compare`: compare mode, arm A on worker_ and arm B on a second worker.
  App(const ViewerOptions& options, const Session& session, std::optional<CompareMode> compare = {});
  ~App();
  int run();

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr float kSideBySideGap = 6.f;  // window pixels between the arms side by side
  void open(const Session& session);
  void frame();
  void on_new_scene(const Layout& layout);
  void draw_panels(const Layout& layout);
  void draw_scene(const Layout& layout);
  void draw_pick_markers();
  const LineSet& overlay_lines();  // the arms' shared lines (box, cameras, path, picked rays)
  // An arm's occupied cells (compare mode: each arm's own grid over its own image).
  const LineSet* occupancy_lines(int arm);
  void after_draw(const Layout& layout);
  void save_session();
  void load_session();
  void write_layout(const std::string& png, const Layout& layout) const;
  // Compare mode (the difference view, wipe line, labels, guided steps, toggle and layout JSON
  // in app_compare.cpp).
  CommandQueue& commands() { return compare_ ? broadcast_ : worker_.commands(); }
  void post_all(const Command& command);  // to every arm
  void forward_commands();                // the panels' commands (broadcast_) to both arms
  std::vector<const WorkerState*> arms() const;
  Rect render_rect(const Layout& layout) const;  // where the tracker's image goes (side by side: the left half)
  void update_difference();
  void handle_split_drag(const ViewTarget& view);
  void draw_compare_labels(const Layout& layout, const ViewTarget& view);
  void replan_toggle();
  void walk_guided_steps(const SceneInfo& scene, const Rect& view_rect);  // keys, and a step asked for
  nlohmann::ordered_json compare_layout_json() const;

  ViewerOptions options_;
  size_t modes_shown_ = 0;  // --modes: frames drawn in the cycle so far
  Session opened_;
  Window window_;  // first: the OpenGL context outlives every GL object below
  std::unique_ptr<SceneDrawing> drawing_;
  Display display_;
  EngineWorker worker_;  // the model; in compare mode arm A
  WorkerState worker_state_;
  // Compare mode: the plan, arm B's worker, state and display, the panels' commands for both
  // arms, and the difference view.
  std::optional<CompareMode> compare_;
  std::unique_ptr<EngineWorker> worker_b_;
  WorkerState worker_state_b_;
  Display display_b_;
  CommandQueue broadcast_;
  std::unique_ptr<Texture> difference_;
  DifferenceImage difference_info_;  // its span and mean (no pixels kept)
  std::shared_ptr<const RenderedImage> difference_of_[2];
  RenderMode difference_mode_ = RenderMode::Rgb;
  bool dragging_split_ = false;
  ViewerState state_;
  ViewTracker tracker_;
  MouseGesture gesture_;
  std::optional<ScriptedRun> script_;
  bool session_view_pending_ = false;  // apply opened_'s camera, view and picks when its scene is ready
  bool picks_pending_ = false;         // send the picks once the view is valid
  bool test_scores_posted_ = false;    // scripted compare: each arm scores the test views once
  uint64_t seen_scene_version_ = 0;
  std::string seen_data_dir_;
  Clock::time_point last_frame_;
  // Overlay lines, rebuilt only when what they show changes.
  LineSet lines_;
  struct OccupancyLines {
    LineSet lines;
    std::shared_ptr<const OccupancyCells> source;
    int resolution = 0, cascade = -1;
  };
  OccupancyLines occupancy_lines_[2];  // per arm
};

}  // namespace nerds::viewer
