// Camera path files (JSON, version 1), written by the viewer's camera-path panel and read by
// it and by `nerds render --path`:
//   {"nerds_camera_path": 1,
//    "keys": [{"position": [x, y, z], "orientation_wxyz": [w, x, y, z],
//              "fov_y_deg": 50, "seconds": 2}, ...]}
// Positions are in the dataset's world frame (as transforms.json); orientation_wxyz is the
// unit quaternion of the camera-to-world rotation (OpenGL convention: the camera looks down
// -z); fov_y_deg the vertical field of view (default 50); seconds the time to the next key
// (default 2; 0 is a cut; the last key's is not used).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "camera_path/camera_path.h"

namespace nerds {

constexpr int kCameraPathVersion = 1;

// Reads a camera path file strictly: a missing or misspelt field, a value out of range, a
// quaternion that is not of unit length (within 1e-2; it is then normalized) or an unknown
// version is an InputError naming the file and the field ("path.json: keys[2].seconds: ...").
CameraPath read_camera_path(const std::string& file);
// `where`: the object's path inside the file when it is part of a larger one (a viewer
// session's "camera_path"), so errors name "camera_path.keys[2].seconds".
CameraPath camera_path_from_json(const nlohmann::json& j, const std::string& file, const std::string& where = "");

// Writes through a temporary file and a rename: a failed write leaves an existing file as it
// was. An empty path is refused (InputError).
void write_camera_path(const std::string& file, const CameraPath& path);
nlohmann::json camera_path_to_json(const CameraPath& path);

}  // namespace nerds
