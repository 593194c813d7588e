// A camera path for slides: keyframes (a pose and a vertical field of view each, and the
// seconds to the next key), played back along a spline. The viewer records and plays them,
// `nerds render --path` renders their frames; neither needs the other (no GL here).
//
// Positions follow a centripetal Catmull-Rom spline through the keys (Yuksel, Schaefer and
// Keyser, "Parameterization and applications of Catmull-Rom curves", CAD 2011, eq. 1-2 with
// alpha = 1/2, evaluated by Barry and Goldman's pyramid, SIGGRAPH 1988): it passes through
// every key, and unlike the uniform spline it makes no loops or cusps where keys are unevenly
// spaced. Orientations are slerped between neighbouring keys (Shoemake, "Animating rotation
// with quaternion curves", SIGGRAPH 1985), the field of view is interpolated linearly.
//
// Poses are camera-to-world, OpenGL convention (the camera looks down -z, +y up), in the frame
// the caller keeps them in: files hold the dataset's world frame (as transforms.json and
// `nerds render`'s cameras.json), the viewer converts with to_engine_frame / to_world_frame.
#pragma once

#include <vector>

#include "renderer/engine.h"

namespace nerds {

// A camera orientation as a unit quaternion (w, x, y, z): the rotation of the camera-to-world
// pose's 3x3 block.
struct Orientation {
  float w = 1.f, x = 0.f, y = 0.f, z = 0.f;
};

struct CameraKey {
  Vec3 position;
  Orientation orientation;
  float fov_y_deg = 50.f;  // vertical field of view
  float seconds = 2.f;     // from this key to the next (the last key's is kept but not used)
};

struct CameraPath {
  std::vector<CameraKey> keys;
};

// One point of a path: where the camera is at a time.
struct CameraPathPoint {
  Pose pose;
  float fov_y_deg = 50.f;
};

// A key at `pose` (its rotation block must be a rotation) and the orientation of a pose.
CameraKey camera_key(const Pose& pose, float fov_y_deg, float seconds);
Orientation orientation_of(const Pose& pose);
// The pose of a key (position and orientation, normalized).
Pose pose_of(const CameraKey& key);

// The path's length in seconds: the sum of all keys' seconds but the last's.
double path_seconds(const CameraPath& path);
// The camera at `seconds` from the start (clamped to [0, path_seconds]); the path must have at
// least one key. At a key's time it is that key (to float rounding).
CameraPathPoint camera_at(const CameraPath& path, double seconds);
// The frames of a video at `fps` frames per second: the cameras at 0, 1/fps, 2/fps, ... up to
// the path's end (floor(path_seconds * fps) + 1 frames, with 1e-6 frames of slack for
// rounding, so a 2 s path at 30 fps ends on its last key); the path must have at least one key
// and fps must be > 0.
std::vector<CameraPathPoint> sample_camera_path(const CameraPath& path, double fps);

// A pose between the dataset's world frame and the engine's (Dataset::scale, Dataset::offset).
Pose to_engine_frame(const Pose& world, const Dataset& train);
Pose to_world_frame(const Pose& engine, const Dataset& train);

}  // namespace nerds
