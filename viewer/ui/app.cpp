#include "viewer/ui/app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "renderer/error.h"
#include "renderer/math/camera_ray.h"
#include "renderer/techniques/core/paper_cards.h"
#include "viewer/core/camera_path_overlay.h"
#include "viewer/core/dataset_cameras.h"
#include "viewer/core/guided_step_view.h"
#include "viewer/core/session_capture.h"
#include "viewer/gl/gl.h"
#include "viewer/gl/screenshot.h"
#include "viewer/panels/panels.h"

namespace nerds::viewer {

namespace fs = std::filesystem;

namespace {

constexpr double kFrameSeconds = 1.0 / 60.0;  // the frame loop's pace where there is no vsync
constexpr float kFrustumDepth = 0.06f;        // camera frustums' length (engine units; the box is ~1)
constexpr float kClear[3] = {40.f / 255.f, 42.f / 255.f, 48.f / 255.f};
constexpr ImGuiWindowFlags kColumnFlags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                          ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                          ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
const LineColor kFrustum{110, 170, 255, 150}, kDatasetCamera{255, 230, 80, 255}, kBox{210, 90, 210, 220},
    kOccupied{90, 255, 140, 90}, kRays[2] = {{80, 255, 120, 255}, {255, 160, 40, 255}},
    kPathKey{255, 110, 60, 230}, kPathSelectedKey{255, 40, 40, 255}, kPathCurve{255, 110, 60, 200};


// Compare mode shares the cores between the arms: each worker trains and renders with its half.
WorkerSettings worker_settings(bool compare) {
  WorkerSettings w;
  if (compare) w.max_threads = std::max(1u, std::thread::hardware_concurrency() / 2);
  return w;
}

}  // namespace

App::App(const ViewerOptions& options, const Session& session, std::optional<CompareMode> compare)
    : options_(options),
      window_(options.width, options.height, "nerds-view"),
      worker_(worker_settings(compare.has_value())) {
  drawing_ = std::make_unique<SceneDrawing>();
  if (compare) {
    compare_ = std::move(compare);
    worker_b_ = std::make_unique<EngineWorker>(worker_settings(true));
    difference_ = std::make_unique<Texture>();
    if (!options.compare_layout.empty()) parse_compare_layout(options.compare_layout, &state_.compare.layout);
    if (options.compare_split >= 0.f) state_.compare.split = options.compare_split;
    if (options.guided_step >= 0) state_.guided_step_request = options.guided_step;  // applied once the scene is open
  }
  if (options.frames > 0) script_.emplace(options, session.step);
  open(session);
  if (options.camera_path) {  // --camera-path over the session's keys
    state_.camera_path.path = *options.camera_path;
    state_.camera_path.file = options.camera_path_file;
    state_.camera_path.open = true;
  }
  if (options.grid_slice) state_.grid_slice = *options.grid_slice;
}

App::~App() = default;

void App::open(const Session& s) {
  // A bad parameter fails here, before anything changes. Compare mode: each arm its plan's.
  // A compare session's arms start from their own snapshots and steps (arm A: the session's).
  EngineSetup setup = compare_ ? arm_setup(*compare_, compare_->plan.a) : engine_setup(s, "session");
  EngineSetup setup_b;
  if (compare_) {
    setup.snapshot = s.snapshot;
    setup_b = arm_setup(*compare_, compare_->plan.b);
    if (s.compare) setup_b.snapshot = s.compare->snapshot_b;
  }
  opened_ = s;
  worker_.post(cmd::Open{setup});
  if (worker_b_) worker_b_->post(cmd::Open{setup_b});
  if (s.threads > 0) post_all(cmd::SetTrainThreads{s.threads});
  // NeRF-W: the session's appearance; the worker keeps it and applies it once the engine is open.
  if (s.view.appearance != AppearanceChoice{}) post_all(cmd::SetAppearance{s.view.appearance});
  const int step_b = s.compare ? s.compare->step_b : s.step;
  for (EngineWorker* w : {&worker_, worker_b_.get()}) {
    if (!w) continue;
    const int step = w == &worker_ ? s.step : step_b;
    if (step > 0)
      w->post(cmd::TrainTo{step, s.running});
    else
      w->post(cmd::SetTraining{s.running});
  }
  if (compare_ && s.compare) {
    state_.compare = s.compare->view;
    state_.guided_step = s.compare->guided_step;
  }
  state_.train_threads = s.threads;
  state_.view = s.view;
  // The session's camera path replaces the panel's keys (its file name and key duration stay).
  stop_playing(state_.camera_path);
  state_.camera_path.path = s.camera_path ? *s.camera_path : CameraPath{};
  state_.camera_path.selected = -1;
  for (RayPick& p : state_.picks) p = RayPick{};
  session_view_pending_ = true;
  seen_data_dir_.clear();
}

int App::run() {
  last_frame_ = Clock::now();
  while (!window_.should_close()) {
    frame();
    if (script_ && script_->finished()) {
      if (script_->exit_code() != 0)
        std::fprintf(stderr, "nerds-view: scripted run failed: %s\n", script_->failure().c_str());
      return script_->exit_code();
    }
  }
  return 0;
}

void App::on_new_scene(const Layout& layout) {
  const SceneInfo& scene = *worker_state_.scene;
  seen_scene_version_ = worker_state_.scene_version;
  if (scene.data_dir != seen_data_dir_) {  // a new scene (not a reset of the same one): start at home
    seen_data_dir_ = scene.data_dir;
    std::vector<Pose> poses;
    for (const Frame& f : scene.train->frames) poses.push_back(f.pose);
    OrbitState home = CameraController::home_for(poses);
    if (!scene.train->frames.empty()) {
      // The training cameras' horizontal field of view, fitted into the view's width.
      const Intrinsics& k = scene.train->frames.front().intrinsics;
      const float half_x = std::atan(0.5f * k.width / k.fx);
      const float fit = 2.f * std::atan(std::tan(half_x) * layout.view.h / std::max(layout.view.w, 1.f));
      home.fov_deg = std::clamp(std::max(fov_y_deg_of(k), fit * 57.29578f), 20.f, 100.f);
    }
    state_.camera.set_home(home);
  }
  if (!session_view_pending_) return;
  session_view_pending_ = false;
  if (opened_.camera) state_.camera.set_state(*opened_.camera);
  if (opened_.view.dataset_view.active()) {
    if (dataset_frame(scene, opened_.view.dataset_view)) {
      snap_to_dataset_view(state_, scene, opened_.view.dataset_view);
    } else {
      state_.message = "the session's camera " + opened_.view.dataset_view.split + " " +
                       std::to_string(opened_.view.dataset_view.index) + " is not in this dataset";
      state_.view.dataset_view = DatasetView{};
    }
  }
  for (size_t i = 0; i < opened_.inspect.size() && i < 2; ++i)
    state_.picks[i] = {true, opened_.inspect[i][0], opened_.inspect[i][1], 0};
  picks_pending_ = !opened_.inspect.empty();
}

void App::frame() {
  // Pace the loop: without vsync (Xvfb, some drivers) it would spin and take CPU from training.
  const double since = std::chrono::duration<double>(Clock::now() - last_frame_).count();
  if (since < kFrameSeconds) std::this_thread::sleep_for(std::chrono::duration<double>(kFrameSeconds - since));
  last_frame_ = Clock::now();
  const bool idle = !script_ && !worker_state_.training && worker_state_.train_to == 0 && !state_.camera_path.playing &&
                    worker_state_.render_settled && !ImGui::IsAnyMouseDown();
  window_.begin_frame(idle ? 0.05 : 0.0);
  worker_.state_if_newer(worker_state_.version, &worker_state_);
  if (worker_b_) worker_b_->state_if_newer(worker_state_b_.version, &worker_state_b_);

  const ImGuiIO& io = ImGui::GetIO();
  const Layout layout = compute_layout(io.DisplaySize.x, io.DisplaySize.y);
  const SceneInfo* scene = worker_state_.ready ? worker_state_.scene.get() : nullptr;
  if (scene && worker_state_.scene_version != seen_scene_version_) on_new_scene(layout);
  const Rect view_rect = render_rect(layout);
  if (scene && compare_) walk_guided_steps(*scene, view_rect);
  if (scene && compare_) handle_split_drag(tracker_.current());
  if (scene && !dragging_split_) handle_view_input(state_, gesture_, scene, tracker_.current(), view_rect, commands());
  if (scene && advance_playback(state_.camera_path, state_.camera, *scene->train, io.DeltaTime))
    state_.view.dataset_view = DatasetView{};  // a playing camera path leaves the dataset cameras
  if (script_ && !options_.modes.empty()) {  // --modes: one a drawn frame in turn, the last one kept
    state_.view.mode = options_.modes[script_->drawing_frames() ? modes_shown_++ % options_.modes.size()
                                                                : options_.modes.size() - 1];
  }
  if (scene && script_ && script_->drawing_frames() && options_.orbit_per_frame != 0.f) {
    CameraInput turn;  // as if the mouse dragged the camera around (--orbit)
    turn.orbit[0] = options_.orbit_per_frame / state_.camera.orbit_deg_per_pixel;
    if (state_.camera.apply(turn, layout.view.h)) state_.view.dataset_view = DatasetView{};
  }
  const ViewTarget& view = tracker_.update(state_, scene, view_rect);
  if (view.valid) worker_.set_view({view.target, state_.view.overlays.occupancy});
  if (view.valid && worker_b_) worker_b_->set_view({view.target, state_.view.overlays.occupancy});
  if (picks_pending_ && view.valid) {
    for (int slot = 0; slot < 2; ++slot) {
      state_.picks[slot].view_version = view.target.version;
      send_pick(state_, slot, view, commands());
    }
    picks_pending_ = false;
  }
  display_.update(worker_state_, state_, view);
  if (worker_b_) {
    display_b_.update(worker_state_b_, state_, view);
    update_difference();
  }
  // Scripted compare off the dataset views: the layout's PSNR is each arm's test-view mean, of
  // its model once the frames are drawn.
  if (script_ && compare_ && script_->settling() && !test_scores_posted_ &&
      !tracker_.current().dataset_view.active()) {
    post_all(cmd::ScoreTestViews{});
    script_->require_test_scores();
    test_scores_posted_ = true;
  }
  if (script_) script_->observe(arms(), state_, view);

  draw_panels(layout);
  draw_pick_markers();
  draw_scene(layout);
  if (compare_) draw_compare_labels(layout, view);
  window_.render_imgui();
  after_draw(layout);
  if (compare_) {
    if (state_.toggle_requested) replan_toggle();
    forward_commands();
  }
  window_.present();
  if (script_) {
    script_->check_gl_error(glGetError());
    script_->frame_done();
  }
}

void App::draw_panels(const Layout& l) {
  PanelContext c{worker_state_, state_, commands(), display_.info(), tracker_.current()};
  if (compare_) {
    c.arm_b = &worker_state_b_;
    c.display_b = &display_b_.info();
  }
  ImGui::SetNextWindowPos(ImVec2(l.left.x, l.left.y));
  ImGui::SetNextWindowSize(ImVec2(l.left.w, l.left.h));
  ImGui::Begin("##left", nullptr, kColumnFlags);
  status_panel(c);
  training_panel(c);
  camera_panel(c);
  camera_path_panel(c);
  render_panel(c);
  session_panel(c);
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(l.right.x, l.right.y));
  ImGui::SetNextWindowSize(ImVec2(l.right.w, l.right.h));
  ImGui::Begin("##right", nullptr, kColumnFlags);
  if (compare_)
    compare_panel(c, *compare_, worker_state_b_, display_b_.info(), difference_info_.span);
  else if (options_.paper_card)
    paper_panel(c, *options_.paper_card);
  dataset_panel(c);
  appearance_panel(c);
  inspector_panel(c);
  grid_slice_panel(c);
  technique_panel(c);
  ImGui::End();
  view_caption(c);
}

void App::draw_pick_markers() {
  const ViewTarget& view = tracker_.current();
  if (!view.valid) return;
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  for (int slot = 0; slot < 2; ++slot) {
    const RayPick& p = state_.picks[slot];
    if (!p.active || p.view_version != view.target.version) continue;
    const ImVec2 at(view.image_rect.x + p.u * view.image_rect.w, view.image_rect.y + p.v * view.image_rect.h);
    const ImU32 color = IM_COL32(kRays[slot].r, kRays[slot].g, kRays[slot].b, 255);
    dl->AddCircle(at, 7.f, color, 16, 2.f);
    dl->AddLine(ImVec2(at.x - 12.f, at.y), ImVec2(at.x - 4.f, at.y), color, 2.f);
    dl->AddLine(ImVec2(at.x + 4.f, at.y), ImVec2(at.x + 12.f, at.y), color, 2.f);
    dl->AddText(ImVec2(at.x + 9.f, at.y - 20.f), color, slot ? "B" : "A");
  }
}

const LineSet& App::overlay_lines() {
  lines_.clear();
  const SceneInfo* scene = worker_state_.scene.get();
  const Overlays& o = state_.view.overlays;
  if (!scene) return lines_;
  if (o.bbox) {
    const float h = scene->box_half;
    add_box(lines_, make_vec3(0.5f - h, 0.5f - h, 0.5f - h), make_vec3(0.5f + h, 0.5f + h, 0.5f + h), kBox);
  }
  const bool pose_sets = o.pose_frustums && worker_state_.poses && !worker_state_.poses->refined.empty();
  if (pose_sets) {  // BARF: the cameras as given, as refined and true, in place of the plain frustums
    const PoseFrustumLines p = pose_frustum_lines(*worker_state_.poses, kFrustumDepth, PoseFrustumColors{},
                                                  tracker_.current().target.pose.origin(), 3.f * kFrustumDepth);
    for (const LineSet* set : {&p.noisy, &p.truth, &p.refined}) {
      lines_.xyz.insert(lines_.xyz.end(), set->xyz.begin(), set->xyz.end());
      lines_.rgba.insert(lines_.rgba.end(), set->rgba.begin(), set->rgba.end());
    }
  }
  if (o.frustums && !pose_sets) {
    const DatasetView& dv = state_.view.dataset_view;
    const Vec3 eye = tracker_.current().target.pose.origin();
    for (const Frame& f : scene->train->frames) {
      // Not the ones around the eye (the camera we look through, or one next to it): they fill the view.
      if (length(f.pose.origin() - eye) < 3.f * kFrustumDepth) continue;
      add_frustum(lines_, f.pose, f.intrinsics, kFrustumDepth, kFrustum);
    }
    if (const Frame* f = dataset_frame(*scene, dv); f && dv.split == "test")
      add_frustum(lines_, f->pose, f->intrinsics, kFrustumDepth, kDatasetCamera);
  }
  if (!state_.camera_path.playing)  // while it plays the curve would run through the eye
    add_camera_path_lines(lines_, state_.camera_path, *scene->train, kFrustumDepth, kPathKey, kPathSelectedKey,
                          kPathCurve);
  if (o.rays) {
    for (int slot = 0; slot < 2; ++slot) {
      const auto& r = worker_state_.inspect[slot];
      if (!r || r->samples.empty()) continue;
      const Ray ray = camera_ray(r->request.pose, r->request.intrinsics, r->request.px, r->request.py);
      const float t0 = r->samples.front().t, t1 = r->samples.back().t + r->samples.back().dt;
      lines_.add(ray.origin + ray.dir * t0, ray.origin + ray.dir * t1, kRays[slot]);
    }
  }
  return lines_;
}

const LineSet* App::occupancy_lines(int arm) {
  const Overlays& o = state_.view.overlays;
  const std::shared_ptr<const OccupancyCells>& cells = (arm == 0 ? worker_state_ : worker_state_b_).occupancy;
  if (!o.occupancy || !cells) return nullptr;
  OccupancyLines& l = occupancy_lines_[arm];
  if (cells != l.source || o.occupancy_resolution != l.resolution || o.occupancy_cascade != l.cascade) {
    l.lines.clear();
    add_occupancy(l.lines, *cells, o.occupancy_cascade, o.occupancy_resolution, kOccupied);
    l.source = cells;
    l.resolution = o.occupancy_resolution;
    l.cascade = o.occupancy_cascade;
  }
  return &l.lines;
}

void App::draw_scene(const Layout& l) {
  const int fb_w = window_.framebuffer_width(), fb_h = window_.framebuffer_height();
  const float scale = window_.framebuffer_scale();
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(kClear[0], kClear[1], kClear[2], 1.f);
  glClear(GL_COLOR_BUFFER_BIT);
  const ViewTarget& view = tracker_.current();
  if (!view.valid) return;
  const Rect view_rect = render_rect(l);
  // Where a display's image goes, `dx` to the right of the tracker's place: an image of an
  // older camera (moving) fills the view; one of a dataset camera keeps its shape.
  auto area = [&](const DisplayInfo& d, float dx) {
    Rect r = d.image_is_current ? view.image_rect
                                : (view.dataset_view.active()
                                       ? fit_rect(view_rect, d.image->intrinsics.width, d.image->intrinsics.height)
                                       : view_rect);
    r.x += dx;
    return r;
  };
  auto draw = [&](const Display& display, float dx) {
    const DisplayInfo& d = display.info();
    if (!d.image || !display.main_texture().valid()) return;
    drawing_->set_area(area(d, dx), scale, fb_h);
    drawing_->draw_texture(display.main_texture());
  };
  const CompareLayout layout = compare_ ? state_.compare.layout : CompareLayout::SideBySide;
  std::vector<float> line_offsets = {0.f};
  if (compare_ && layout == CompareLayout::Difference) {
    if (difference_->valid() && display_.info().image) {
      drawing_->set_area(area(display_.info(), 0.f), scale, fb_h);
      drawing_->draw_texture(*difference_);
    }
  } else {
    draw(display_, 0.f);
    if (compare_ && layout == CompareLayout::SideBySide) {
      const float dx = view_rect.w + kSideBySideGap;
      draw(display_b_, dx);
      line_offsets.push_back(dx);
    } else if (compare_ && layout == CompareLayout::Split) {
      // B right of the wipe line, over A.
      const float x = view.image_rect.x + state_.compare.split * view.image_rect.w;
      glEnable(GL_SCISSOR_TEST);
      glScissor(static_cast<GLint>(x * scale), 0, fb_w, fb_h);
      draw(display_b_, 0.f);
      glDisable(GL_SCISSOR_TEST);
    }
  }
  // The shared lines over each image; each arm's occupied cells over its own (split: A left of
  // the wipe line, B right of it; the difference view shows arm A's).
  const LineSet& lines = overlay_lines();
  const auto clip = view_projection(view.target.pose, view.target.intrinsics, 0.01f, 100.f);
  for (size_t i = 0; i < line_offsets.size(); ++i) {
    Rect r = view.image_rect;
    r.x += line_offsets[i];
    drawing_->set_area(r, scale, fb_h);
    if (lines.vertex_count() > 0) drawing_->draw_lines(lines, clip, 1.f);
    const bool split = compare_ && layout == CompareLayout::Split;
    const int arms = split ? 2 : 1;
    for (int a = 0; a < arms; ++a) {
      const int arm = split ? a : static_cast<int>(i);
      const LineSet* cells = occupancy_lines(arm);
      if (!cells || cells->vertex_count() == 0) continue;
      if (split) {
        const float x = view.image_rect.x + state_.compare.split * view.image_rect.w;
        glEnable(GL_SCISSOR_TEST);
        glScissor(a == 0 ? 0 : static_cast<GLint>(x * scale), 0,
                  a == 0 ? static_cast<GLsizei>(x * scale) : fb_w, fb_h);
      }
      drawing_->draw_lines(*cells, clip, 1.f);
      if (split) glDisable(GL_SCISSOR_TEST);
    }
  }
  glViewport(0, 0, fb_w, fb_h);
}

void App::after_draw(const Layout& layout) {
  const int fb_w = window_.framebuffer_width(), fb_h = window_.framebuffer_height();
  try {
    if (script_ && script_->screenshot_now()) {
      if (!options_.screenshot.empty()) {
        write_screenshot(options_.screenshot, fb_w, fb_h);
        write_layout(options_.screenshot, layout);
        std::fprintf(stderr, "nerds-view: wrote %s (step %d)\n", options_.screenshot.c_str(), worker_state_.stats.step);
      }
      if (!options_.frame_times.empty()) script_->write_frame_times(options_.frame_times, arms());
      if (!options_.save_session.empty()) {
        state_.session_path = options_.save_session;
        save_session();
      }
    }
    if (state_.screenshot_requested) {
      state_.screenshot_requested = false;
      write_screenshot(state_.screenshot_path, fb_w, fb_h);
      state_.message = "wrote " + state_.screenshot_path;
    }
    if (state_.save_session_requested) {
      state_.save_session_requested = false;
      save_session();
    }
    if (state_.load_session_requested) {
      state_.load_session_requested = false;
      load_session();
    }
  } catch (const std::exception& e) {
    state_.message = e.what();
    if (script_) std::fprintf(stderr, "nerds-view: error: %s\n", e.what());
  }
}

void App::save_session() {
  if (!worker_state_.ready) throw InputError(state_.session_path, "", "nothing to save: no scene is open");
  Session s = capture_session(opened_, worker_state_, state_);
  const fs::path path(state_.session_path);
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (compare_) s.compare = capture_compare(*compare_, worker_state_b_, state_);
  if (state_.session_with_model) {
    fs::path snapshot = path;
    snapshot.replace_extension(".nerds");
    worker_.post(cmd::SaveSnapshot{snapshot.string()});
    s.snapshot = snapshot.filename().string();  // beside the session file
    if (compare_) {                             // arm B's beside it
      fs::path b = path;
      b.replace_filename(path.stem().string() + "-b.nerds");
      worker_b_->post(cmd::SaveSnapshot{b.string()});
      s.compare->snapshot_b = b.filename().string();
    }
  }
  write_session(state_.session_path, s);
  state_.message =
      "saved the session to " + state_.session_path + (state_.session_with_model ? " (model: see below)" : "");
}

void App::load_session() {
  const Session s = read_session(state_.session_path);
  // Compare mode follows the file: a compare session opens both arms (a second worker when
  // there was none), a plain one closes arm B.
  std::optional<CompareMode> mode;
  if (s.compare) mode = compare_from_session(s);  // a bad request fails here, before anything changes
  compare_ = std::move(mode);
  if (compare_ && !worker_b_) {
    worker_b_ = std::make_unique<EngineWorker>(worker_settings(true));
    difference_ = std::make_unique<Texture>();
  }
  if (!compare_) {
    worker_b_.reset();
    worker_state_b_ = WorkerState{};
  }
  open(s);
  state_.message = "opened the session " + state_.session_path;
}

void App::write_layout(const std::string& png, const Layout& l) const {
  const float k = window_.framebuffer_scale();
  auto rect = [k](const Rect& r) { return nlohmann::json::array({r.x * k, r.y * k, r.w * k, r.h * k}); };
  const ViewTarget& view = tracker_.current();
  nlohmann::json j = {
      {"width", window_.framebuffer_width()},
      {"height", window_.framebuffer_height()},
      {"image_rect", rect(view.image_rect)},
      {"view_rect", rect(l.view)},
      {"panels", {rect(l.left), rect(l.right)}},
      {"clear_color", {std::lround(kClear[0] * 255), std::lround(kClear[1] * 255), std::lround(kClear[2] * 255)}},
      {"step", worker_state_.stats.step},
      // The model step of the image on screen (all of it: one model state).
      {"image_step", display_.info().image ? display_.info().image->step : -1}};
  if (const auto& g = worker_state_.grid_slice; g && state_.grid_slice.open)
    j["grid_slice"] = {{"level", g->slice.level},       {"axis", g->request.axis},
                       {"offset", g->request.offset},   {"resolution", g->slice.resolution},
                       {"hashed", g->slice.hashed},     {"step", g->step},
                       {"note", g->note}};
  if (compare_) j["compare"] = compare_layout_json();
  fs::path path(png);
  path.replace_extension(".json");
  std::ofstream(path) << j.dump(2) << "\n";
}

void App::post_all(const Command& command) {
  worker_.post(command);
  if (worker_b_) worker_b_->post(command);
}

std::vector<const WorkerState*> App::arms() const {
  std::vector<const WorkerState*> a = {&worker_state_};
  if (worker_b_) a.push_back(&worker_state_b_);
  return a;
}

void App::forward_commands() {
  for (Command& c : broadcast_.take_all()) {
    if (auto* reset = std::get_if<cmd::Reset>(&c)) {  // each arm retrains with its own parameters
      (void)reset;
      worker_.post(cmd::Reset{compare_->plan.a.params});
      worker_b_->post(cmd::Reset{compare_->plan.b.params});
    } else if (std::holds_alternative<cmd::ApplyParams>(c)) {
      state_.message =
          "compare mode: the arms' parameters come from the compare plan (choose the toggle in the "
          "Compare section; --set for both)";
    } else if (auto* save = std::get_if<cmd::SaveSnapshot>(&c)) {
      fs::path b = save->path;
      b.replace_filename(b.stem().string() + "-b" + b.extension().string());
      worker_.post(*save);
      worker_b_->post(cmd::SaveSnapshot{b.string()});
    } else {
      post_all(c);
    }
  }
}

Rect App::render_rect(const Layout& l) const {
  if (!compare_ || state_.compare.layout != CompareLayout::SideBySide) return l.view;
  Rect r = l.view;
  r.w = std::max(1.f, 0.5f * (l.view.w - kSideBySideGap));
  return r;
}

}  // namespace nerds::viewer
