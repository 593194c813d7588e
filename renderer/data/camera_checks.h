// The sanity checks every dataset loader applies to its cameras, in one place. A camera value
// can be finite and still absurd: a focal length of 1e-300 or 1e300 pixels, a principal point
// at 1e30, distortion coefficients that fold the image, a camera 1e30 units away, or cameras
// that all look away from the scene box. Such a dataset used to train "successfully" on zero
// samples or a NaN loss; these checks refuse it when loading, each with
// InputError(file, field, why) naming the value and the bound it breaks.
#pragma once

#include <string>
#include <vector>

#include "renderer/data/dataset.h"
#include "renderer/math/camera.h"

namespace nerds {

// A camera's field of view along each image axis, 2 atan(side / (2 focal)), must lie in
// [0.01, 179] degrees: beyond, the focal length is no lens (a 0.01 degree view of an 800 pixel
// image is a focal length of 4.6e6 pixels; both bounds keep every ray direction a float can hold).
constexpr double kMinFieldOfViewDegrees = 0.01, kMaxFieldOfViewDegrees = 179.0;
// The principal point lies within one image size of the image: [-side, 2 side] pixels.
constexpr double kMaxPrincipalPointOutside = 1.0;
// A camera's position in the engine's frame lies within this many box units of the box center,
// the bound of the scene offset (dataset.h), for the same reason: farther, float positions
// along its rays lose the precision of a hash-grid cell.
constexpr double kMaxCameraDistance = kMaxSceneOffset;
// The distortion model must map the image one to one: undistorting a grid of its pixels and
// distorting them back lands within this many pixels of where they started.
constexpr double kDistortionRoundTripPixels = 0.1;

// `focal` (pixels) along an image side of `side` pixels: finite, positive, and a field of view
// within the bounds above. `field` names the value ("fl_x", "camera_angle_x", "rows[3].hwf.focal").
void check_focal_length(double focal, int side, const std::string& file, const std::string& field);
// A principal point coordinate (pixels from the top-left corner) along a side of `side` pixels.
void check_principal_point(double center, int side, const std::string& file, const std::string& field);
// The OpenCV k1 k2 p1 p2 model of `k` (its focal lengths, principal point and size already
// checked) is invertible over the whole image: see kDistortionRoundTripPixels.
void check_distortion(const Intrinsics& k, const std::string& file, const std::string& field);
// A camera-to-world pose already in the engine's frame: finite, within kMaxCameraDistance.
void check_camera_position(const Pose& pose, const std::string& file, const std::string& field);
// At least one of `frames` (poses in the engine's frame) sees the scene box
// 0.5 +- aabb_scale / 2: a ray through one of a grid of its pixels reaches the box, or a
// corner or the center of the box projects into its image. Otherwise training would see no
// sample at all; the error names `file`, the split and the likely causes.
void check_cameras_see_box(const std::vector<Frame>& frames, float aabb_scale, const std::string& file,
                           const std::string& split);

}  // namespace nerds
