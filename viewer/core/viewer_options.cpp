#include "viewer/core/viewer_options.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "renderer/error.h"
#include "renderer/techniques/core/method_files.h"
#include "viewer/core/compare_mode.h"

namespace nerds::viewer {

namespace fs = std::filesystem;

bool parse_viewer_options(int argc, char** argv, ViewerOptions* o, int* exit_code) {
  CLI::App app{
      "nerds-view: watch a NeRF train, fly around it and look inside it. Without arguments it makes the built-in "
      "'default' scene in runs/view-default (once) and trains it live.",
      "nerds-view"};
  app.failure_message(CLI::FailureMessage::simple);
  std::string grid_slice;  // parsed below
  auto* data = app.add_option("--data", o->data_dir, "dataset folder (NeRF-synthetic or transforms.json)");
  auto* run = app.add_option("--run", o->run_dir, "a run folder of `nerds train` (RUN/snapshot.nerds)");
  auto* session = app.add_option("--session", o->session_file, "a session file saved by the viewer");
  data->excludes(run);
  session->excludes(data)->excludes(run);
  app.add_option("--scene", o->scene, "built-in scene made when no data is given")->capture_default_str();
  app.add_option("--scene-dir", o->scene_dir, "where the built-in scene is made (default: runs/view-SCENE)");
  app.add_option("--scene-resolution", o->scene_resolution, "built-in scene: pixels per side")
      ->check(CLI::Range(1, 8192));
  app.add_option("--scene-views", o->scene_train_views, "built-in scene: training views")->check(CLI::Range(1, 100000));
  app.add_option("--scene-test-views", o->scene_test_views, "built-in scene: test views")->check(CLI::Range(0, 100000));
  app.add_option("--downscale", o->downscale, "integer image downscale")->check(CLI::Range(1, 64));
  app.add_option("--method", o->method, "method file (scenes/methods/NAME.json, or just NAME)");
  app.add_option("--set", o->sets, "override one parameter: module.key=value (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  auto* paper = app.add_option(
      "--paper", o->paper,
      "review a paper: its card, and its toggle off (arm A) and on (arm B) trained side by side on its sample scene "
      "(nerds papers lists them: nerf, mip-nerf, ...; with --run or --session: the card only)");
  auto* compare = app.add_option("--compare", o->compare_param,
                                 "compare mode: PARAM[=OFF] off (arm A) vs the method's value (arm B), with --method "
                                 "and --set shared by both arms; with --paper and no PARAM: the card's toggle")
                      ->expected(0, 1);
  app.add_option("--toggle", o->toggle, "compare mode: the card's toggle (its parameter, or PARAM=OFF)")->needs(paper);
  app.add_option("--compare-view", o->compare_layout, "compare mode: side-by-side, split or difference");
  app.add_option("--split", o->compare_split, "compare mode: the wipe line's place across the view (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--guided-step", o->guided_step, "compare mode: show the card's guided step K (1 = the first)")
      ->check(CLI::Range(1, 1000))
      ->needs(paper);
  compare->excludes(run)->excludes(session);
  app.add_option("--camera-path", o->camera_path_file, "open this camera path (JSON) in the camera-path panel");
  app.add_option("--step", o->step, "train to this step first (then keep training unless --paused)")
      ->check(CLI::Range(0, 1000000000));
  app.add_flag("--paused", o->paused, "do not keep training (after --step / the session's step)");
  app.add_option("--threads", o->threads, "OpenMP threads per training step (0: all)")->check(CLI::Range(0, 1024));
  app.add_option("--inspect", o->inspect, "inspect the ray through point U,V of the view (0..1; repeatable, 2 at most)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  app.add_option("--view", o->dataset_view, "snap the camera to a dataset camera: train:N or test:N");
  app.add_option("--mode", o->mode,
                 "render mode: rgb, depth, opacity, samples, error, normals, predicted-normals, diffuse, specular, "
                 "static, transient, uncertainty");
  std::string modes;
  app.add_option("--modes", modes, "scripted mode: switch through these render modes (comma-separated), one a frame");
  app.add_option("--render-scale", o->render_scale, "full-size render / view pixels")->check(CLI::Range(0.05, 2.0));
  app.add_option("--width", o->width, "window width")->check(CLI::Range(640, 8192))->capture_default_str();
  app.add_option("--height", o->height, "window height")->check(CLI::Range(480, 8192))->capture_default_str();
  app.add_option("--frames", o->frames, "scripted mode: render this many frames (after the step is reached), then exit")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--screenshot", o->screenshot, "scripted mode: write the last frame to this PNG");
  app.add_option("--frame-times", o->frame_times, "scripted mode: write the frames' times (JSON) here");
  app.add_option("--save-session", o->save_session, "scripted mode: save the session file here at the end");
  app.add_option("--orbit", o->orbit_per_frame,
                 "scripted mode: orbit the camera this many degrees per frame while the frames are drawn");
  app.add_option("--grid-slice", grid_slice,
                 "open the hash-grid slice view: LEVEL[:AXIS[:OFFSET]] (AXIS x, y or z; OFFSET in [0, 1])");
  app.add_option("--timeout", o->timeout_seconds, "scripted mode: give up after this many seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    *exit_code = app.exit(e);
    return false;
  }
  if (o->frames == 0 &&
      (!o->screenshot.empty() || !o->frame_times.empty() || !o->save_session.empty() || o->orbit_per_frame != 0.f)) {
    std::fprintf(stderr,
                 "nerds-view: error: --screenshot, --frame-times, --save-session and --orbit need --frames N\n");
    *exit_code = 2;
    return false;
  }
  o->compare = (!o->paper.empty() && o->run_dir.empty() && o->session_file.empty()) || compare->count() > 0;
  if (o->guided_step > 0) --o->guided_step;
  CompareLayout layout;
  if (!o->compare_layout.empty() && !parse_compare_layout(o->compare_layout, &layout)) {
    std::fprintf(stderr, "nerds-view: error: --compare-view: '%s' is not side-by-side, split or difference\n",
                 o->compare_layout.c_str());
    *exit_code = 2;
    return false;
  }
  if (!grid_slice.empty() || !modes.empty()) {
    try {
      if (!modes.empty()) o->modes = parse_render_modes(modes, "--modes");
      if (!grid_slice.empty()) o->grid_slice = parse_grid_slice(grid_slice, "--grid-slice");
    } catch (const InputError& e) {
      std::fprintf(stderr, "nerds-view: error: %s\n", e.what());
      *exit_code = 2;
      return false;
    }
  }
  if (!o->paper.empty()) {
    try {
      const std::vector<PaperCard>& cards = paper_cards();
      const PaperCard* card = find_paper_card(cards, o->paper);
      std::string known;
      for (const PaperCard& c : cards) known += (known.empty() ? "" : ", ") + c.id;
      if (!card) throw InputError("--paper", "", "no paper card '" + o->paper + "' (known: " + known + ")");
      o->paper_card = *card;
    } catch (const InputError& e) {
      std::fprintf(stderr, "nerds-view: error: %s\n", e.what());
      *exit_code = 2;
      return false;
    }
  }
  return true;
}

std::array<float, 2> parse_point(const std::string& text, const std::string& option) {
  const size_t comma = text.find(',');
  std::array<float, 2> p{};
  try {
    if (comma == std::string::npos) throw std::invalid_argument("no comma");
    size_t used = 0;
    p[0] = std::stof(text.substr(0, comma), &used);
    if (used != comma) throw std::invalid_argument("junk");
    const std::string rest = text.substr(comma + 1);
    p[1] = std::stof(rest, &used);
    if (used != rest.size()) throw std::invalid_argument("junk");
  } catch (const std::exception&) {
    throw InputError(option, "", "'" + text + "' is not U,V (two numbers in [0, 1], e.g. 0.5,0.5)");
  }
  if (!(p[0] >= 0.f && p[0] <= 1.f && p[1] >= 0.f && p[1] <= 1.f))
    throw InputError(option, "", "'" + text + "': U and V must be in [0, 1]");
  return p;
}

std::vector<RenderMode> parse_render_modes(const std::string& list, const std::string& option) {
  std::vector<RenderMode> out;
  size_t from = 0;
  while (from <= list.size()) {
    const size_t comma = std::min(list.find(',', from), list.size());
    const std::string name = list.substr(from, comma - from);
    RenderMode m;
    if (!parse_render_mode(name, &m))
      throw InputError(option, "", "'" + name + "' is not a render mode (nerds-view --help lists them)");
    out.push_back(m);
    from = comma + 1;
  }
  return out;
}

GridSliceSettings parse_grid_slice(const std::string& text, const std::string& option) {
  GridSliceSettings g;
  g.open = true;
  std::vector<std::string> parts;
  for (size_t from = 0;;) {
    const size_t colon = text.find(':', from);
    parts.push_back(text.substr(from, colon == std::string::npos ? std::string::npos : colon - from));
    if (colon == std::string::npos) break;
    from = colon + 1;
  }
  const std::string form = "' is not LEVEL[:AXIS[:OFFSET]] (e.g. 8:z:0.5)";
  try {
    size_t used = 0;
    g.level = std::stoi(parts[0], &used);
    if (used != parts[0].size() || parts.size() > 3) throw std::invalid_argument("junk");
    if (parts.size() > 1) {
      const std::string& a = parts[1];
      if (a != "x" && a != "y" && a != "z") throw InputError(option, "", "'" + text + "': AXIS is x, y or z");
      g.axis = a[0] - 'x';
    }
    if (parts.size() > 2) {
      g.offset = std::stof(parts[2], &used);
      if (used != parts[2].size()) throw std::invalid_argument("junk");
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception&) {
    throw InputError(option, "", "'" + text + form);
  }
  if (g.level < 0) throw InputError(option, "", "'" + text + "': LEVEL must be 0 or more");
  if (!(g.offset >= 0.f && g.offset <= 1.f)) throw InputError(option, "", "'" + text + "': OFFSET must be in [0, 1]");
  return g;
}

DatasetView parse_dataset_view(const std::string& text, const std::string& option) {
  const size_t colon = text.find(':');
  DatasetView v;
  if (colon != std::string::npos) {
    v.split = text.substr(0, colon);
    try {
      size_t used = 0;
      const std::string number = text.substr(colon + 1);
      v.index = std::stoi(number, &used);
      if (used != number.size()) v.index = -1;
    } catch (const std::exception&) {
      v.index = -1;
    }
  }
  if ((v.split != "train" && v.split != "test") || v.index < 0)
    throw InputError(option, "", "'" + text + "' is not train:N or test:N");
  return v;
}

CompareRequest compare_request(const ViewerOptions& o) {
  CompareRequest r;
  r.paper = o.paper;
  r.toggle = o.toggle;
  r.compare = o.compare_param;
  r.shared.method_file = o.method;
  r.shared.sets = o.sets;
  return r;
}

scenes::SceneOptions compare_scene_options(const ViewerOptions& o) {
  scenes::SceneOptions s;
  s.resolution = o.scene_resolution > 0 ? o.scene_resolution : kCompareSceneResolution;
  s.train_views = o.scene_train_views > 0 ? o.scene_train_views : kCompareSceneTrainViews;
  s.test_views = o.scene_test_views >= 0 ? o.scene_test_views : kCompareSceneTestViews;
  return s;
}

Session starting_session(const ViewerOptions& o) {
  Session s;
  if (!o.session_file.empty()) {
    s = read_session(o.session_file);
  } else if (!o.run_dir.empty()) {
    const fs::path snapshot = fs::path(o.run_dir) / "snapshot.nerds";
    std::error_code ec;
    if (!fs::is_regular_file(snapshot, ec)) throw InputError(o.run_dir, "", "no snapshot.nerds in this run folder");
    s.snapshot = snapshot.string();
    s.running = false;  // look at a finished run first; Start trains it further
  } else if (!o.data_dir.empty()) {
    s.data_dir = o.data_dir;
  } else {
    s.make_scene = o.scene;
    s.data_dir = o.scene_dir.empty() ? "runs/view-" + o.scene : o.scene_dir;
  }
  if (o.scene_resolution > 0) s.scene_options.resolution = o.scene_resolution;
  if (o.scene_train_views > 0) s.scene_options.train_views = o.scene_train_views;
  if (o.scene_test_views >= 0) s.scene_options.test_views = o.scene_test_views;
  if (o.downscale > 0) s.downscale = o.downscale;
  if (!o.method.empty() || !o.sets.empty()) {
    // Resolved and checked now, so a typo fails before the window opens; the session then
    // carries every value (a method file is not needed to open it again).
    std::string name = s.method_name;
    ParamSet p = o.method.empty() ? default_method_params() : method_params(o.method, {}, &name);
    if (o.method.empty()) p.apply_json(s.params, o.session_file.empty() ? "session" : o.session_file);
    for (const std::string& a : o.sets) p.set_from_string(a, "--set");
    s.method_name = name;
    s.params = p.to_json();
  }
  if (o.step >= 0) s.step = o.step;
  if (o.paused) s.running = false;
  if (o.threads >= 0) s.threads = o.threads;
  if (o.inspect.size() > 2) throw InputError("--inspect", "", "at most two rays can be inspected");
  if (!o.inspect.empty()) {
    s.inspect.clear();
    for (const std::string& p : o.inspect) s.inspect.push_back(parse_point(p, "--inspect"));
  }
  if (!o.dataset_view.empty()) s.view.dataset_view = parse_dataset_view(o.dataset_view, "--view");
  if (!o.mode.empty() && !parse_render_mode(o.mode, &s.view.mode))
    throw InputError("--mode", "", "'" + o.mode + "' is not a render mode (nerds-view --help lists them)");
  if (o.render_scale > 0.f) s.view.render_scale = o.render_scale;
  return s;
}

EngineSetup engine_setup(const Session& s, const std::string& source) {
  EngineSetup e;
  e.data_dir = s.data_dir;
  e.downscale = s.downscale;
  e.method_name = s.method_name;
  e.params = default_method_params();
  e.params.apply_json(s.params, source);
  e.snapshot = s.snapshot;
  e.make_scene = s.make_scene;
  e.scene_options = s.scene_options;
  return e;
}

}  // namespace nerds::viewer
