// Everything the window remembers between frames (no function statics): the camera, what is
// shown and how, the picked rays, the parameter editor, file names and panel visibility. The
// panels read and change it; the session file stores the part a reviewer wants to share.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "renderer/engine.h"
#include "viewer/core/camera_controller.h"
#include "viewer/core/camera_path_editor.h"

namespace nerds::viewer {

// Normals onwards are layers the engine renders only when asked (render_mode_layers.h): the
// density normals (any model), Ref-NeRF's predicted normals, diffuse and specular parts, and
// NeRF-W's static and transient parts and uncertainty; a model without one shows it disabled.
enum class RenderMode {
  Rgb, Depth, Opacity, Samples, Error,
  Normals, PredictedNormals, Diffuse, Specular, Static, Transient, Uncertainty
};
constexpr int kRenderModeCount = 12;
// "rgb", "depth", "opacity", "samples", "error", "normals", "predicted-normals", "diffuse",
// "specular", "static", "transient", "uncertainty"
const char* render_mode_name(RenderMode mode);
bool parse_render_mode(const std::string& name, RenderMode* mode);

// A dataset camera the view is snapped to ("train" or "test", index), or none.
struct DatasetView {
  std::string split;
  int index = -1;
  bool active() const { return index >= 0 && !split.empty(); }
  bool operator==(const DatasetView& o) const { return split == o.split && index == o.index; }
};

struct Overlays {
  bool frustums = true;  // training cameras
  // With BARF's pose refinement (camera.pose_refine): the training cameras as given (noisy),
  // as refined, and true (transforms_train_true.json, when the dataset has it), in 3 colours.
  bool pose_frustums = true;
  bool bbox = true;      // the scene box
  bool occupancy = false;
  bool rays = true;               // the inspected rays
  int occupancy_resolution = 32;  // cells per side drawn (the grid's cells merged to this)
  int occupancy_cascade = 0;
};

struct PanelFlags {  // which sections are open
  bool training = true, camera = true, render = true, session = false;
  bool dataset = true, inspector = true, technique = false;
};

// NeRF-W's appearance the renders use (Engine::set_view_appearance): training image a's code
// (-1: the mean of the training codes), blended towards image b's by `blend` in [0, 1]
// ((1 - blend) a + blend b; b = -1 is the mean too). Image a's transient code is the one the
// transient, static and uncertainty modes show (the first image's when a is the mean).
struct AppearanceChoice {
  int image_a = -1, image_b = -1;
  float blend = 0.f;
  bool operator==(const AppearanceChoice& o) const {
    return image_a == o.image_a && image_b == o.image_b && blend == o.blend;
  }
  bool operator!=(const AppearanceChoice& o) const { return !(*this == o); }
};

// What is shown and how: stored in session files.
struct ViewSettings {
  DatasetView dataset_view;
  RenderMode mode = RenderMode::Rgb;
  // Full-size render = this fraction of the view's screen pixels. On the CPU a young model
  // renders ~10k rays/s (a trained one several times more): a third keeps refreshes to seconds.
  float render_scale = 0.35f;
  float background[3] = {1.f, 1.f, 1.f};
  Overlays overlays;
  PanelFlags panels;
  AppearanceChoice appearance;
};

// A picked ray of the inspector: a point of the view image (normalized to [0,1]^2).
struct RayPick {
  bool active = false;
  float u = 0.f, v = 0.f;
  uint64_t view_version = 0;  // the view it was picked in (its marker is drawn only there)
};

// The technique panel's edits, applied only on request (a reset asks first).
struct ParamEditor {
  ParamSet edited;                       // the values shown in the panel
  uint64_t scene_version = 0;            // the engine run they were copied from
  std::vector<std::string> reset_paths;  // changed parameters that need retraining (modal open when not empty)
  std::string error;
};

// The grid-slice view's controls (not stored in session files): the worker computes a slice
// only while its section is open.
struct GridSliceSettings {
  bool open = false;
  int level = 0;
  int axis = 2;  // the plane's normal: 0 x, 1 y, 2 z
  float offset = 0.5f;
  int size = 128;  // samples a side
  bool operator==(const GridSliceSettings& o) const {
    return open == o.open && level == o.level && axis == o.axis && offset == o.offset && size == o.size;
  }
};

// How compare mode draws its two arms: side by side, one view split by a wipe line (A left,
// B right), or |A - B| through a colour scale.
enum class CompareLayout { SideBySide, Split, Difference };
constexpr int kCompareLayoutCount = 3;
const char* compare_layout_name(CompareLayout layout);  // "side-by-side", "split", "difference"
bool parse_compare_layout(const std::string& name, CompareLayout* layout);
struct CompareLayoutState {
  CompareLayout layout = CompareLayout::SideBySide;
  float split = 0.5f;  // the wipe line's place across the image, 0..1
};

struct ViewerState {
  CameraController camera;
  ViewSettings view;
  std::array<RayPick, 2> picks;
  ParamEditor params;
  CameraPathEditor camera_path;  // keyframes for slides (camera-path panel)
  int train_threads = 0;  // 0: all
  GridSliceSettings grid_slice, grid_slice_sent;  // the controls, and what the worker was last asked
  std::string session_path = "runs/view-session.json";
  bool session_with_model = false;  // also save the trained model beside the session file
  std::string screenshot_path = "runs/view-screenshot.png";
  bool screenshot_requested = false;
  bool save_session_requested = false;  // the window writes session_path (it knows the opened scene)
  bool load_session_requested = false;
  std::string message;  // the last thing the window did or failed to do
  // Compare mode (compare_mode.h): how the arms are drawn, the guided step shown (-1: none),
  // and a toggle of the card the compare panel asked for ("" = none pending).
  CompareLayoutState compare;
  int guided_step = -1;
  int guided_step_request = -1;  // a step the panel or a key asked for (-1: none pending)
  std::string toggle_request;
  bool toggle_requested = false;
};

}  // namespace nerds::viewer
