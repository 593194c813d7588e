// instant-ngp / nerfstudio: one DIR/transforms.json. Camera fields (fl_x fl_y cx cy w h,
// k1 k2 p1 p2, camera_angle_x/_y) sit at the top level (instant-ngp) or in each frame
// (nerfstudio); a frame's own value wins, so frames may differ in size; a frame may carry
// Mip-NeRF's "lossmult" (its pixels' loss weight, default 1). Scene fields: aabb_scale
// (default 1), scale (default 0.33), offset (default [0.5, 0.5, 0.5]), as instant-ngp reads them,
// within dataset.h's bounds (aabb_scale at most 128); w and h within image_limits.h's; focal
// lengths, principal point and distortion within camera_checks.h's.
// "file_path" is relative to DIR and carries its extension. The file may name its splits as
// nerfstudio does (train_filenames, val_filenames, test_filenames: lists of file_path values;
// "val" falls back on test_filenames and "test" on val_filenames, the engine's held-out views
// being one set); without them frames 0, 8, 16, ... are held out as "test" (== "val"), the
// rest are "train".
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <set>

#include "renderer/data/camera_checks.h"
#include "renderer/data/dataset_loaders.h"
#include "renderer/data/image_limits.h"
#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds::dataset_loaders {
namespace {

namespace fs = std::filesystem;
using json_fields::field_name;
using json_fields::optional_number;
using nlohmann::json;

constexpr double kPi = 3.14159265358979323846;


// nerfstudio's split lists, when the file has any: which frames (by index) `split` holds.
// A listed name that no frame's file_path matches is an error, as in nerfstudio.
std::optional<std::set<size_t>> named_split(const json& root, const json& frames, const std::string& split,
                                            const std::string& dir, const std::string& file) {
  const char* keys[] = {"train_filenames", "val_filenames", "test_filenames"};
  bool any = false;
  for (const char* key : keys) any = any || json_fields::find(root, key, file, "") != nullptr;
  if (!any || split == "all") return std::nullopt;
  std::string key = split + "_filenames";
  if (!json_fields::find(root, key, file, "")) {
    const std::string other = split == "val" ? "test_filenames" : split == "test" ? "val_filenames" : "";
    if (other.empty() || !json_fields::find(root, other, file, ""))
      throw InputError(file, key, "missing: the file names its splits (train_filenames, val_filenames, "
                                  "test_filenames) but not split '" + split + "'");
    key = other;
  }
  const auto normal = [&](const std::string& path) { return (fs::path(dir) / path).lexically_normal(); };
  const std::vector<std::string> names = json_fields::require_string_array(root, key, file, "");
  std::set<size_t> chosen;
  for (size_t n = 0; n < names.size(); ++n) {
    bool found = false;
    for (size_t i = 0; i < frames.size() && !found; ++i) {
      const json* path = json_fields::find(frames[i], "file_path", file, "frames[" + std::to_string(i) + "]");
      if (path && path->is_string() && normal(path->get<std::string>()) == normal(names[n])) {
        chosen.insert(i);
        found = true;
      }
    }
    if (!found)
      throw InputError(file, key + "[" + std::to_string(n) + "]", "'" + names[n] + "' is no frame's file_path");
  }
  return chosen;
}

// A camera field: the frame's own value (nerfstudio) or the file's (instant-ngp).
std::optional<double> camera_number(const json& root, const json& frame, const std::string& key,
                                    const std::string& file, const std::string& where) {
  if (std::optional<double> own = optional_number(frame, key, file, where)) return own;
  return optional_number(root, key, file, "");
}

// Only the pinhole + OpenCV k1 k2 p1 p2 model is implemented; refuse the others instead of
// silently reading their coefficients with the wrong meaning.
void check_camera_model(const json& object, const std::string& file, const std::string& where) {
  if (const json* model = json_fields::find(object, "camera_model", file, where)) {
    const bool supported = model->is_string() && (*model == "OPENCV" || *model == "PINHOLE" ||
                                                  *model == "SIMPLE_PINHOLE");
    if (!supported)
      throw InputError(file, field_name(where, "camera_model"),
                       "unsupported camera model " + model->dump() + " (OPENCV or PINHOLE only)");
  }
  if (const json* fisheye = json_fields::find(object, "is_fisheye", file, where))
    if (*fisheye == true) throw InputError(file, field_name(where, "is_fisheye"), "fisheye cameras are not supported");
  for (const char* key : {"k3", "k4"}) {
    const std::optional<double> value = optional_number(object, key, file, where);
    if (value && *value != 0.0)
      throw InputError(file, field_name(where, key), "not supported (OpenCV k1 k2 p1 p2 only)");
  }
}

double focal_from_angle(double angle, int side, const std::string& file, const std::string& name) {
  if (!(angle > 0.0 && angle < kPi)) throw InputError(file, name, "must be a field of view in (0, pi) radians");
  return 0.5 * side / std::tan(0.5 * angle);
}

// The name of a camera field for messages: the frame's own (nerfstudio) or the file's.
std::string camera_field(const json& frame, const std::string& key, const std::string& file, const std::string& where) {
  return json_fields::find(frame, key, file, where) ? field_name(where, key) : key;
}

// A focal length from its own field or from the field of view; checked (camera_checks.h) as
// a double, before the float conversion turns 1e300 into inf and 1e-300 into 0.
double read_focal(const json& root, const json& frame, const std::string& focal_key, const std::string& angle_key,
                  int side, std::optional<double> fallback, const std::string& file, const std::string& where) {
  double focal = 0.0;
  std::string field;
  if (const std::optional<double> own = camera_number(root, frame, focal_key, file, where)) {
    focal = *own;
    field = camera_field(frame, focal_key, file, where);
  } else if (const std::optional<double> angle = camera_number(root, frame, angle_key, file, where)) {
    field = camera_field(frame, angle_key, file, where);
    focal = focal_from_angle(*angle, side, file, field);
  } else if (fallback) {
    return *fallback;  // fl_y = fl_x, already checked
  } else {
    throw InputError(file, focal_key, "missing (give " + focal_key + " or " + angle_key + ", per file or per frame)");
  }
  check_focal_length(focal, side, file, field);
  return focal;
}

Intrinsics read_intrinsics(const json& root, const json& frame, const std::string& file, const std::string& where,
                           const std::string& image_path, FrameOrigin& origin) {
  check_camera_model(frame, file, where);
  Intrinsics k;
  const std::optional<double> w = camera_number(root, frame, "w", file, where);
  const std::optional<double> h = camera_number(root, frame, "h", file, where);
  if (w && h) {
    const bool own = json_fields::find(frame, "w", file, where) != nullptr;
    k.width = checked_image_side(*w, file, own ? field_name(where, "w") : "w");
    k.height = checked_image_side(*h, file, json_fields::find(frame, "h", file, where) ? field_name(where, "h") : "h");
    origin.declares_size = own;
  } else {  // instant-ngp falls back on the image's own size
    const ImageInfo info = frame_image_info(image_path, origin);
    k.width = info.width;
    k.height = info.height;
  }

  const double fl_x = read_focal(root, frame, "fl_x", "camera_angle_x", k.width, std::nullopt, file, where);
  const double fl_y = read_focal(root, frame, "fl_y", "camera_angle_y", k.height, fl_x, file, where);
  k.fx = static_cast<float>(fl_x);
  k.fy = static_cast<float>(fl_y);
  const std::optional<double> cx = camera_number(root, frame, "cx", file, where);
  const std::optional<double> cy = camera_number(root, frame, "cy", file, where);
  if (cx) check_principal_point(*cx, k.width, file, camera_field(frame, "cx", file, where));
  if (cy) check_principal_point(*cy, k.height, file, camera_field(frame, "cy", file, where));
  k.cx = static_cast<float>(cx.value_or(0.5 * k.width));
  k.cy = static_cast<float>(cy.value_or(0.5 * k.height));
  k.k1 = static_cast<float>(camera_number(root, frame, "k1", file, where).value_or(0.0));
  k.k2 = static_cast<float>(camera_number(root, frame, "k2", file, where).value_or(0.0));
  k.p1 = static_cast<float>(camera_number(root, frame, "p1", file, where).value_or(0.0));
  k.p2 = static_cast<float>(camera_number(root, frame, "p2", file, where).value_or(0.0));
  bool own_distortion = false;
  for (const char* key : {"k1", "k2", "p1", "p2"})
    own_distortion = own_distortion || json_fields::find(frame, key, file, where) != nullptr;
  check_distortion(k, file, own_distortion ? field_name(where, "k1 k2 p1 p2") : "k1 k2 p1 p2");
  return k;
}

}  // namespace

void read_scene_box(const json& root, const std::string& file, ParsedFrames* parsed) {
  // Checked as doubles, before the float conversion turns 1e39 into inf and 1e-46 into 0.
  const double aabb_scale = optional_number(root, "aabb_scale", file, "").value_or(1.0);
  if (!(aabb_scale > 0.0 && aabb_scale <= kMaxAabbScale))
    throw InputError(file, "aabb_scale",
                     "must be in (0, " + std::to_string(static_cast<int>(kMaxAabbScale)) + "], got " +
                         json_fields::number_text(aabb_scale) + " (instant-ngp uses 1, 2, 4, ..., 128)");
  const double scale = optional_number(root, "scale", file, "").value_or(0.33);
  if (!(scale >= kMinSceneScale && scale <= kMaxSceneScale))
    throw InputError(file, "scale",
                     "must be in [" + json_fields::number_text(kMinSceneScale) + ", " +
                         json_fields::number_text(kMaxSceneScale) + "], got " + json_fields::number_text(scale));
  parsed->aabb_scale = static_cast<float>(aabb_scale);
  parsed->scale = static_cast<float>(scale);
  parsed->offset = json_fields::optional_vec3(root, "offset", file, "").value_or(make_vec3(0.5f, 0.5f, 0.5f));
  for (int k = 0; k < 3; ++k)
    if (!(std::fabs(parsed->offset[k]) <= kMaxSceneOffset))
      throw InputError(file, "offset[" + std::to_string(k) + "]",
                       "must lie in [-" + json_fields::number_text(kMaxSceneOffset) + ", " +
                           json_fields::number_text(kMaxSceneOffset) + "], got " +
                           json_fields::number_text(parsed->offset[k]));
  // The depth range of the scene's content over the cameras, [near, far] in world units (the
  // project's scene generator writes it): NDC's near plane for forward-facing scenes.
  if (root.contains("near_far")) {
    const json& nf = root["near_far"];
    if (!nf.is_array() || nf.size() != 2 || !nf[0].is_number() || !nf[1].is_number())
      throw InputError(file, "near_far", "must be [near, far], two numbers");
    const double near = nf[0].get<double>(), far = nf[1].get<double>();
    if (!(near > 0.0 && far > near && std::isfinite(far)))
      throw InputError(file, "near_far", "must satisfy 0 < near < far");
    // Several split files: the range covering them all.
    parsed->near_bound = parsed->near_bound > 0.f ? std::min(parsed->near_bound, static_cast<float>(near))
                                                  : static_cast<float>(near);
    parsed->far_bound = std::max(parsed->far_bound, static_cast<float>(far));
  }
}

ParsedFrames parse_transforms(const std::string& dir, const std::string& split) {
  const std::string file = (fs::path(dir) / "transforms.json").string();
  const json root = json_fields::read_json_file(file);
  const json& frames = json_fields::require_frames(root, file);
  check_camera_model(root, file, "");

  ParsedFrames parsed;
  read_scene_box(root, file, &parsed);

  const std::optional<std::set<size_t>> named = named_split(root, frames, split, dir, file);
  for (size_t i = 0; i < frames.size(); ++i) {
    if (named ? named->count(i) == 0 : !in_default_split(i, split)) continue;
    const std::string where = "frames[" + std::to_string(i) + "]";
    FrameOrigin origin{file, static_cast<int>(i)};
    Frame frame;
    const std::string file_path = json_fields::require_string(frames[i], "file_path", file, where);
    frame.image_path = (fs::path(dir) / file_path).lexically_normal().string();
    frame.pose = json_fields::read_pose(frames[i], file, where);
    frame.intrinsics = read_intrinsics(root, frames[i], file, where, frame.image_path, origin);
    frame.lossmult = read_lossmult(frames[i], file, where);  // frames may differ in size (multiscale)
    parsed.frames.push_back(frame);
    parsed.origins.push_back(origin);
  }
  if (parsed.frames.empty())
    throw InputError(file, named ? split + "_filenames" : "frames",
                     "split '" + split + "' is empty (" + std::to_string(frames.size()) + " frames; " +
                         (named ? "the file's list names none" : "every 8th, from frame 0, is held out for val/test") +
                         ")");
  return parsed;
}

}  // namespace nerds::dataset_loaders
