// Cameras to render and writing their images, shared by `nerds render` and `nerds demo`.
#pragma once

#include <string>
#include <vector>

#include "camera_path/camera_path.h"
#include "renderer/engine.h"

namespace nerds::cli {

struct RenderCamera {
  Pose pose;  // camera-to-world in the engine's frame
  Intrinsics intrinsics;
};

// Intrinsics scaled to width x height (0: keep; one of them 0: keep the aspect ratio). Orbits
// and camera files without intrinsics start from the training set's largest image's.
Intrinsics scaled_intrinsics(const Intrinsics& k, int width, int height);

// n cameras on a circle around the scene box's center (0.5, 0.5, 0.5 in the engine's frame)
// at the training cameras' mean distance and mean elevation, looking at the center. "Up" is
// the mean of the training cameras' up axes; the circle starts at the first training
// camera's azimuth.
std::vector<RenderCamera> orbit_cameras(const Dataset& train, int n, int width, int height);

// A transforms-style camera file (NeRF-synthetic layout: camera_angle_x and frames with a
// 4x4 camera-to-world "transform_matrix" in the dataset's world frame; or instant-ngp's
// fl_x [fl_y cx cy] w h). Without intrinsics in the file the training set's are used; a frame
// stating its own (fl_x ... or camera_angle_x, as render_cameras writes them) uses those.
// Poses are mapped into the engine's frame with the training set's scale and offset.
// Refused with an InputError naming the file and the field: a size that is not a whole
// number in [1, 16384], and what the dataset loaders refuse (renderer/data/camera_checks.h):
// a focal length or camera_angle_x outside a field of view of [0.01, 179] degrees, a principal
// point more than one image size outside the image, a camera more than 1000 box units from the
// scene box; and a matrix that is not finite and rigid.
std::vector<RenderCamera> read_camera_file(const std::string& path, const Dataset& train, int width, int height);

// The frames of a camera path (camera_path/camera_path.h: keys in the dataset's world frame) at
// `fps`: each a pinhole with the path's field of view at that time, of the training images'
// size or width x height (as scaled_intrinsics). `file` names the path in errors: a camera more
// than 1000 box units from the scene box, more than kMaxPathFrames frames.
constexpr long kMaxPathFrames = 100000;
std::vector<RenderCamera> path_cameras(const CameraPath& path, const std::string& file, double fps,
                                       const Dataset& train, int width, int height);

// "0007": the NNNN of frame 7's file names (render_cameras; ffmpeg reads them as %04d.png).
std::string frame_name(int i);

// Renders every camera into dir/NNNN.png (RGB over `background`) and dir/NNNN_depth.png
// (16-bit: axial depth in the dataset's world units * 1000, 0 where the ray's opacity is
// below 0.5), and writes dir/cameras.json (the cameras in the world frame, readable by
// read_camera_file; where the cameras' intrinsics differ, as a camera path's field of view
// may, each frame also carries its own fl_x fl_y cx cy w h). Returns the number of images.
int render_cameras(const Engine& engine, const std::vector<RenderCamera>& cameras, const std::string& dir,
                   const float background[3]);

}  // namespace nerds::cli
