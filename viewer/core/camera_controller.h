// The viewer's camera: orbit around a target, pan, zoom and fly (WASD), with "up" taken from
// the dataset's cameras. It is plain math over one frame's input (no window or ImGui), so it
// is unit tested; ui/camera_input.cpp turns ImGui's mouse and keys into a CameraInput and
// drops what ImGui wants for itself.
//
// Poses are camera-to-world in the engine's frame, OpenGL convention: the camera looks down
// its -z axis, +y is up.
#pragma once

#include <optional>
#include <vector>

#include "renderer/engine.h"

namespace nerds::viewer {

// One frame of camera input.
struct CameraInput {
  float orbit[2] = {0.f, 0.f};     // mouse motion (pixels) while orbiting (left drag)
  float pan[2] = {0.f, 0.f};       // mouse motion (pixels) while panning (right or middle drag)
  float zoom = 0.f;                // wheel clicks, positive = closer
  float fly[3] = {0.f, 0.f, 0.f};  // right, up, forward, each in [-1, 1] (D/A, E/Q, W/S)
  bool fast = false;               // Shift: fly faster
  float dt = 0.f;                  // seconds this frame lasted (fly speed)
};

// The orbit parameters; a session file stores these.
struct OrbitState {
  Vec3 target = make_vec3(0.5f, 0.5f, 0.5f);
  Vec3 up = make_vec3(0.f, 0.f, 1.f);  // world up (unit)
  float distance = 1.f;
  float yaw_deg = 0.f;    // around `up`, from the basis' first axis
  float pitch_deg = 0.f;  // above the plane normal to `up`, in [-89, 89]
  float fov_deg = 50.f;   // vertical field of view of the free camera
};

class CameraController {
 public:
  // Where the camera starts and what reset() returns to: looking at the scene box's center
  // from the training cameras' mean distance, with their mean up axis, from the first one's
  // direction. Empty `poses`: a default view of the unit box.
  static OrbitState home_for(const std::vector<Pose>& poses);

  void set_home(const OrbitState& home);
  void reset();  // back home (keeps nothing of the current view)
  const OrbitState& state() const { return state_; }
  void set_state(const OrbitState& s);

  // Puts the camera exactly at `pose` (a dataset camera): pose() returns it unchanged until
  // the next movement, which then continues from an orbit around the point `pose` looks at,
  // at the distance of `focus` along its view axis.
  void look_from(const Pose& pose, Vec3 focus);
  bool exact() const { return exact_.has_value(); }

  // Applies one frame of input; view_height: the image height in pixels (pan speed: the
  // target moves with the mouse). Returns true when the camera moved.
  bool apply(const CameraInput& in, float view_height);

  Pose pose() const;

  // Tuning (per pixel, per wheel click, per second).
  float orbit_deg_per_pixel = 0.3f;
  float zoom_per_click = 0.9f;
  float fly_distances_per_second = 0.6f;

 private:
  OrbitState home_, state_;
  std::optional<Pose> exact_;
};

}  // namespace nerds::viewer
