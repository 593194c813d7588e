#include "camera_path/camera_path_file.h"

#include <cmath>

#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds {

namespace {

using json_fields::JsonObject;
using json_fields::shortest_float;
using nlohmann::json;

// Bounds of a key's fields: positions within a million world units; a field of view a
// pinhole can have (intrinsics_for_fov's range); at most an hour from one key to the next.
constexpr double kMaxCoordinate = 1e6;
constexpr double kMinFov = 1.0, kMaxFov = 179.0;
constexpr double kMaxSeconds = 3600.0;
constexpr double kUnitTolerance = 1e-2;  // |q| may be off 1 by this (rounded by hand), then normalized

CameraKey read_key(JsonObject f) {
  CameraKey k;
  if (!f.has("position")) f.fail("position", "missing: the camera's position [x, y, z]");
  k.position = f.vec3("position");
  for (int i = 0; i < 3; ++i)
    if (std::fabs(k.position[i]) > kMaxCoordinate)
      f.fail("position", "must lie within " + json_fields::number_text(kMaxCoordinate) + " world units of the origin");
  if (!f.has("orientation_wxyz"))
    f.fail("orientation_wxyz", "missing: the camera-to-world rotation as a unit quaternion [w, x, y, z]");
  const std::vector<double> q = f.numbers("orientation_wxyz", 4, -1.0 - kUnitTolerance, 1.0 + kUnitTolerance);
  const double norm = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  if (std::fabs(norm - 1.0) > kUnitTolerance)
    f.fail("orientation_wxyz", "must be a unit quaternion [w, x, y, z], its length is " + json_fields::number_text(norm));
  k.orientation = {static_cast<float>(q[0] / norm), static_cast<float>(q[1] / norm), static_cast<float>(q[2] / norm),
                   static_cast<float>(q[3] / norm)};
  k.fov_y_deg = static_cast<float>(f.number("fov_y_deg", k.fov_y_deg, kMinFov, kMaxFov));
  k.seconds = static_cast<float>(f.number("seconds", k.seconds, 0.0, kMaxSeconds));
  f.finish();
  return k;
}

}  // namespace

CameraPath camera_path_from_json(const json& j, const std::string& file, const std::string& where) {
  JsonObject top(j, file, where);
  if (!top.has("nerds_camera_path"))
    top.fail("nerds_camera_path", "missing: the format version (" + std::to_string(kCameraPathVersion) + ")");
  const int64_t version = top.integer("nerds_camera_path", int64_t{0}, int64_t{1000000});
  if (version != kCameraPathVersion)
    top.fail("nerds_camera_path", "version " + std::to_string(version) + " is not one this build reads (" +
                                      std::to_string(kCameraPathVersion) + ")");
  if (!top.has("keys")) top.fail("keys", "missing: the list of keyframes");
  const json& keys = top.array("keys");
  CameraPath path;
  for (size_t i = 0; i < keys.size(); ++i)
    path.keys.push_back(read_key(JsonObject(keys[i], file, top.field("keys") + "[" + std::to_string(i) + "]")));
  top.finish();
  return path;
}

CameraPath read_camera_path(const std::string& file) {
  return camera_path_from_json(json_fields::read_json_file(file, json_fields::RepeatedKeys::refuse), file);
}

json camera_path_to_json(const CameraPath& path) {
  json keys = json::array();
  for (const CameraKey& k : path.keys) {
    const Orientation& q = k.orientation;
    keys.push_back(
        {{"position", {shortest_float(k.position.x), shortest_float(k.position.y), shortest_float(k.position.z)}},
         {"orientation_wxyz", {shortest_float(q.w), shortest_float(q.x), shortest_float(q.y), shortest_float(q.z)}},
         {"fov_y_deg", shortest_float(k.fov_y_deg)},
         {"seconds", shortest_float(k.seconds)}});
  }
  return {{"nerds_camera_path", kCameraPathVersion}, {"keys", keys}};
}

void write_camera_path(const std::string& file, const CameraPath& path) {
  if (file.empty()) throw InputError("(camera path)", "", "no file name given");
  json_fields::write_json_file(file, camera_path_to_json(path));
}

}  // namespace nerds
