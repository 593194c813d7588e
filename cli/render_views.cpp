#include "cli/render_views.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "renderer/data/camera_checks.h"
#include "renderer/data/image_io.h"
#include "renderer/data/image_limits.h"
#include "renderer/data/json_fields.h"
#include "renderer/error.h"
#include "renderer/train/evaluate.h"

namespace nerds::cli {

namespace fs = std::filesystem;

namespace {

constexpr float kDepthScale = 1000.f;     // 16-bit depth: world units * 1000
constexpr float kDepthMinOpacity = 0.5f;  // below: background (0)

Vec3 column(const Pose& p, int c) { return make_vec3(p.m[0][c], p.m[1][c], p.m[2][c]); }

// The training images' intrinsics renders default to: those of the largest image (a
// multiscale set holds every view at 1/1 to 1/8 size; render at full size).
Intrinsics largest_intrinsics(const Dataset& train) {
  size_t best = 0;
  for (size_t i = 1; i < train.frames.size(); ++i) {
    const Intrinsics &k = train.frames[i].intrinsics, &b = train.frames[best].intrinsics;
    if (static_cast<int64_t>(k.width) * k.height > static_cast<int64_t>(b.width) * b.height) best = i;
  }
  return train.frames.empty() ? Intrinsics{} : train.frames[best].intrinsics;
}

bool same_intrinsics(const Intrinsics& a, const Intrinsics& b) {
  return a.fx == b.fx && a.fy == b.fy && a.cx == b.cx && a.cy == b.cy && a.width == b.width && a.height == b.height;
}

// The focal length (pixels) that gives `side` pixels the field of view `angle` (radians).
double focal_for_angle(double side, double angle) { return 0.5 * side / std::tan(0.5 * angle); }

// The intrinsics `object` (the file's top level, or one frame at `where`) states over `k`:
// fl_x [fl_y cx cy] w h, or camera_angle_x [w h]; `k` itself when it states none.
Intrinsics stated_intrinsics(const nlohmann::json& object, Intrinsics k, const std::string& path,
                             const std::string& where) {
  namespace jf = json_fields;
  // NaN / Infinity read as null (read_json_file), which would read as absent: name them.
  for (const char* key : {"fl_x", "fl_y", "cx", "cy", "w", "h", "camera_angle_x"})
    if (object.contains(key) && object[key].is_null())
      throw InputError(path, jf::field_name(where, key), "not a finite number (null, NaN or Infinity)");
  if (const auto fl_x = jf::optional_number(object, "fl_x", path, where)) {
    k.width = checked_image_side(jf::require_number(object, "w", path, where), path, jf::field_name(where, "w"));
    k.height = checked_image_side(jf::require_number(object, "h", path, where), path, jf::field_name(where, "h"));
    const double fl_y = jf::optional_number(object, "fl_y", path, where).value_or(*fl_x);
    const double cx = jf::optional_number(object, "cx", path, where).value_or(0.5 * k.width);
    const double cy = jf::optional_number(object, "cy", path, where).value_or(0.5 * k.height);
    check_focal_length(*fl_x, k.width, path, jf::field_name(where, "fl_x"));
    check_focal_length(fl_y, k.height, path, jf::field_name(where, jf::find(object, "fl_y", path, where) ? "fl_y" : "fl_x"));
    check_principal_point(cx, k.width, path, jf::field_name(where, "cx"));
    check_principal_point(cy, k.height, path, jf::field_name(where, "cy"));
    k.fx = static_cast<float>(*fl_x);
    k.fy = static_cast<float>(fl_y);
    k.cx = static_cast<float>(cx);
    k.cy = static_cast<float>(cy);
    k.k1 = k.k2 = k.p1 = k.p2 = 0.f;
  } else if (const auto angle = jf::optional_number(object, "camera_angle_x", path, where)) {
    // The object's own size when it states one, else the size so far.
    k.width = checked_image_side(jf::optional_number(object, "w", path, where).value_or(k.width), path,
                                 jf::field_name(where, "w"));
    k.height = checked_image_side(jf::optional_number(object, "h", path, where).value_or(k.height), path,
                                  jf::field_name(where, "h"));
    // A field of view of 0, below 0 or from pi on is a focal length that is infinite, negative or 0.
    const double focal = focal_for_angle(k.width, *angle);
    check_focal_length(focal, k.width, path, jf::field_name(where, "camera_angle_x"));
    check_focal_length(focal, k.height, path, jf::field_name(where, "camera_angle_x"));
    k.fx = k.fy = static_cast<float>(focal);
    k.cx = 0.5f * k.width;
    k.cy = 0.5f * k.height;
    k.k1 = k.k2 = k.p1 = k.p2 = 0.f;
  } else {
    for (const char* key : {"fl_y", "cx", "cy", "w", "h"})
      if (jf::find(object, key, path, where))
        throw InputError(path, jf::field_name(where, key), "is given without a focal length (fl_x, or camera_angle_x)");
  }
  return k;
}

}  // namespace

std::string frame_name(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", i);
  return buf;
}

Intrinsics scaled_intrinsics(const Intrinsics& k, int width, int height) {
  if (width <= 0 && height <= 0) return k;
  if (width <= 0) width = std::max(1, static_cast<int>(std::lround(static_cast<double>(k.width) * height / k.height)));
  if (height <= 0) height = std::max(1, static_cast<int>(std::lround(static_cast<double>(k.height) * width / k.width)));
  // The side kept from the aspect ratio may exceed the limit the options were checked against.
  check_image_size(width, height, "--width/--height", "the render size");
  Intrinsics out = k;
  const float sx = static_cast<float>(width) / k.width, sy = static_cast<float>(height) / k.height;
  out.fx *= sx;
  out.cx *= sx;
  out.fy *= sy;
  out.cy *= sy;
  out.width = width;
  out.height = height;
  return out;
}

std::vector<RenderCamera> orbit_cameras(const Dataset& train, int n, int width, int height) {
  if (n < 1) throw InputError("--orbit", "", "must be >= 1 cameras");
  if (train.frames.empty()) throw InputError(train.root, "frames", "the training set has no cameras");
  const Vec3 center = make_vec3(0.5f, 0.5f, 0.5f);
  Vec3 up = make_vec3(0, 0, 0);
  for (const Frame& f : train.frames) up = up + column(f.pose, 1);
  up = length(up) > 1e-3f ? normalize(up) : make_vec3(0, 0, 1);
  double distance = 0, elevation = 0;
  for (const Frame& f : train.frames) {
    const Vec3 d = f.pose.origin() - center;
    const float r = std::max(length(d), 1e-6f);
    distance += r;
    elevation += std::asin(std::clamp(dot(d, up) / r, -1.f, 1.f));
  }
  distance /= train.frames.size();
  elevation /= train.frames.size();
  Vec3 e1 = train.frames[0].pose.origin() - center;
  e1 = e1 - up * dot(e1, up);
  if (length(e1) < 1e-6f) e1 = std::fabs(up.x) < 0.9f ? cross(up, make_vec3(1, 0, 0)) : cross(up, make_vec3(0, 1, 0));
  e1 = normalize(e1);
  const Vec3 e2 = cross(up, e1);
  const Intrinsics k = scaled_intrinsics(largest_intrinsics(train), width, height);
  std::vector<RenderCamera> cams;
  for (int i = 0; i < n; ++i) {
    const float theta = 2.f * static_cast<float>(M_PI) * i / n;
    const float ce = std::cos(static_cast<float>(elevation)), se = std::sin(static_cast<float>(elevation));
    const Vec3 dir = (e1 * std::cos(theta) + e2 * std::sin(theta)) * ce + up * se;
    cams.push_back({look_at(center + dir * static_cast<float>(distance), center, up), k});
  }
  return cams;
}

std::vector<RenderCamera> read_camera_file(const std::string& path, const Dataset& train, int width, int height) {
  namespace jf = json_fields;
  const nlohmann::json root = jf::read_json_file(path);
  if (!root.is_object()) throw InputError(path, "", "expected a JSON object with \"frames\"");
  const nlohmann::json& frames = jf::require_frames(root, path);
  const Intrinsics file_k = stated_intrinsics(root, largest_intrinsics(train), path, "");
  const Intrinsics k = scaled_intrinsics(file_k, width, height);
  std::vector<RenderCamera> cams;
  for (size_t i = 0; i < frames.size(); ++i) {
    const std::string where = "frames[" + std::to_string(i) + "]";
    Pose p = jf::read_pose(frames[i], path, where);
    p = to_engine_frame(p, train);
    check_camera_position(p, path, where + ".transform_matrix");
    // A frame with a focal length of its own (cameras.json of a camera path whose field of view
    // changes, nerfstudio's per-frame intrinsics) is rendered with it; other per-frame fields
    // are other tools' and ignored, as before.
    const bool own = frames[i].contains("fl_x") || frames[i].contains("camera_angle_x");
    cams.push_back({p, own ? scaled_intrinsics(stated_intrinsics(frames[i], file_k, path, where), width, height) : k});
  }
  return cams;
}

std::vector<RenderCamera> path_cameras(const CameraPath& path, const std::string& file, double fps,
                                       const Dataset& train, int width, int height) {
  if (path.keys.empty()) throw InputError(file, "keys", "the camera path has no keys");
  const double frames = std::floor(path_seconds(path) * fps) + 1;
  if (frames > kMaxPathFrames)
    throw InputError(file, "keys", "the path lasts " + json_fields::number_text(path_seconds(path)) + " s: at " +
                                       json_fields::number_text(fps) + " fps that is more than " +
                                       std::to_string(kMaxPathFrames) + " frames");
  const Intrinsics size = scaled_intrinsics(largest_intrinsics(train), width, height);
  for (size_t i = 0; i < path.keys.size(); ++i)
    check_camera_position(to_engine_frame(pose_of(path.keys[i]), train), file,
                          "keys[" + std::to_string(i) + "].position");
  std::vector<RenderCamera> cams;
  for (const CameraPathPoint& p : sample_camera_path(path, fps))
    cams.push_back({to_engine_frame(p.pose, train), intrinsics_for_fov(size.width, size.height, p.fov_y_deg)});
  return cams;
}

int render_cameras(const Engine& engine, const std::vector<RenderCamera>& cameras, const std::string& dir,
                   const float background[3]) {
  make_folder(dir);
  const Dataset& train = engine.train_set();
  const fs::path out(dir);
  nlohmann::json frames = nlohmann::json::array();
  ProgressLine line;
  for (size_t i = 0; i < cameras.size(); ++i) {
    const RenderCamera& cam = cameras[i];
    const Intrinsics& k = cam.intrinsics;
    const RenderBuffers buf = engine.render(cam.pose, k, background);
    write_png((out / (frame_name(static_cast<int>(i)) + ".png")).string(), rgb_to_image(buf.rgb, k.width, k.height));
    // Axial depth: the expected distance along the unit ray (normalized by opacity) times the
    // cosine between the ray and the optical axis, in world units.
    std::vector<uint16_t> depth(static_cast<size_t>(k.width) * k.height, 0);
    for (int y = 0; y < k.height; ++y)
      for (int x = 0; x < k.width; ++x) {
        const size_t p = static_cast<size_t>(y) * k.width + x;
        if (buf.opacity[p] < kDepthMinOpacity) continue;
        const Vec3 d = pixel_to_camera_dir(k, x + 0.5f, y + 0.5f);
        const float axial = buf.depth[p] / buf.opacity[p] / length(d) / train.scale;
        depth[p] = static_cast<uint16_t>(std::clamp(std::lround(axial * kDepthScale), 0L, 65535L));
      }
    write_png16((out / (frame_name(static_cast<int>(i)) + "_depth.png")).string(), k.width, k.height, depth);
    const Pose world = to_world_frame(cam.pose, train);
    nlohmann::json m = nlohmann::json::array();
    for (int r = 0; r < 3; ++r) m.push_back({world.m[r][0], world.m[r][1], world.m[r][2], world.m[r][3]});
    m.push_back({0, 0, 0, 1});
    nlohmann::json frame = {{"file_path", "./" + frame_name(static_cast<int>(i))},
                            {"depth_file_path", "./" + frame_name(static_cast<int>(i)) + "_depth"},
                            {"transform_matrix", m}};
    if (!same_intrinsics(k, cameras[0].intrinsics))
      frame.update({{"fl_x", k.fx}, {"fl_y", k.fy}, {"cx", k.cx}, {"cy", k.cy}, {"w", k.width}, {"h", k.height}});
    frames.push_back(frame);
    char text[96];
    std::snprintf(text, sizeof text, "render %zu/%zu (%dx%d)", i + 1, cameras.size(), k.width, k.height);
    line.show(text, i + 1 == cameras.size());
  }
  line.finish();
  if (!cameras.empty()) {
    const Intrinsics& k = cameras[0].intrinsics;
    nlohmann::json j;
    j["camera_angle_x"] = 2.0 * std::atan(0.5 * k.width / k.fx);
    j["fl_x"] = k.fx;
    j["fl_y"] = k.fy;
    j["cx"] = k.cx;
    j["cy"] = k.cy;
    j["w"] = k.width;
    j["h"] = k.height;
    j["depth_scale"] = kDepthScale;
    j["frames"] = frames;
    write_json_file((out / "cameras.json").string(), j);
  }
  return static_cast<int>(cameras.size());
}

}  // namespace nerds::cli
