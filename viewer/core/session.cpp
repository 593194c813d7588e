#include "viewer/core/session.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <utility>

#include "camera_path/camera_path_file.h"
#include "renderer/data/json_fields.h"
#include "renderer/error.h"

namespace nerds::viewer {

namespace fs = std::filesystem;
using json_fields::JsonObject;
using nlohmann::json;

namespace {

constexpr int kSessionVersion = 1;

json number(float v) { return json_fields::shortest_float(v); }

json vec3(float x, float y, float z) { return json::array({number(x), number(y), number(z)}); }

std::string resolve(const std::string& path, const std::string& base_dir) {
  if (path.empty() || fs::path(path).is_absolute() || base_dir.empty()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

// The three numbers of `key`, each in [lo, hi], into out (left as it is when the field is absent).
void read_three(JsonObject& f, const char* key, float* out, double lo, double hi) {
  if (!f.has(key)) return;
  const std::vector<double> v = f.numbers(key, 3, lo, hi);
  for (int i = 0; i < 3; ++i) out[i] = static_cast<float>(v[i]);
}

// Each flag from its key, left as it is when the key is absent.
void read_flags(JsonObject& f, std::initializer_list<std::pair<const char*, bool*>> flags) {
  for (const auto& [key, flag] : flags) *flag = f.boolean(key, *flag);
}

float read_float(JsonObject& f, const char* key, float fallback, double lo, double hi) {
  return static_cast<float>(f.number(key, fallback, lo, hi));
}

void read_scene(JsonObject f, Session& s, const std::string& base_dir) {
  if (!f.has("data")) f.fail("data", "missing: the dataset folder (or where to make a built-in scene)");
  s.data_dir = f.string("data");
  if (s.data_dir.empty()) f.fail("data", "must not be empty");
  s.data_dir = resolve(s.data_dir, base_dir);
  s.downscale = f.integer("downscale", s.downscale, 1, 64);
  s.make_scene = f.string("make", s.make_scene);
  scenes::SceneOptions& o = s.scene_options;
  o.resolution = f.integer("resolution", o.resolution, 1, 8192);
  o.train_views = f.integer("train_views", o.train_views, 1, 100000);
  o.val_views = f.integer("val_views", o.val_views, 0, 100000);
  o.test_views = f.integer("test_views", o.test_views, 0, 100000);
  o.samples_per_pixel = f.integer("samples_per_pixel", o.samples_per_pixel, 1, 255);
  o.seed = static_cast<uint32_t>(f.integer("seed", static_cast<int>(o.seed), 0, 2147483647));
  f.finish();
}

void read_camera(JsonObject f, Session& s) {
  OrbitState c;
  float target[3] = {c.target.x, c.target.y, c.target.z}, up[3] = {c.up.x, c.up.y, c.up.z};
  read_three(f, "target", target, -1e6, 1e6);
  read_three(f, "up", up, -1.0, 1.0);
  c.target = make_vec3(target[0], target[1], target[2]);
  c.up = make_vec3(up[0], up[1], up[2]);
  if (length(c.up) < 1e-3f) f.fail("up", "must not be the zero vector");
  c.distance = read_float(f, "distance", c.distance, 1e-3, 1e3);
  c.yaw_deg = read_float(f, "yaw_deg", c.yaw_deg, -360.0, 360.0);
  c.pitch_deg = read_float(f, "pitch_deg", c.pitch_deg, -89.0, 89.0);
  c.fov_deg = read_float(f, "fov_deg", c.fov_deg, 5.0, 150.0);
  // Only a camera that says where it is replaces the scene's home view.
  bool placed = false;
  for (const char* key : {"target", "up", "distance", "yaw_deg", "pitch_deg", "fov_deg"}) placed = placed || f.has(key);
  if (placed) s.camera = c;
  if (f.has("dataset_view")) {
    JsonObject v = f.object("dataset_view");
    DatasetView& d = s.view.dataset_view;
    d.split = v.string("split", d.split);
    if (d.split != "train" && d.split != "test") v.fail("split", "must be \"train\" or \"test\"");
    if (!v.has("index")) v.fail("index", "missing");
    d.index = v.integer("index", d.index, 0, 1000000000);
    v.finish();
  }
  f.finish();
}

void read_view(JsonObject f, Session& s) {
  ViewSettings& v = s.view;
  std::string mode = f.string("mode", render_mode_name(v.mode));
  if (!parse_render_mode(mode, &v.mode))
    f.fail("mode",
           "must be one of rgb, depth, opacity, samples, error, normals, predicted-normals, diffuse, specular, static, "
           "transient, uncertainty");
  v.render_scale = read_float(f, "render_scale", v.render_scale, 0.05, 2.0);
  read_three(f, "background", v.background, 0.0, 1.0);
  if (f.has("overlays")) {
    JsonObject o = f.object("overlays");
    Overlays& ov = v.overlays;
    read_flags(o, {{"frustums", &ov.frustums}, {"bbox", &ov.bbox}, {"occupancy", &ov.occupancy}, {"rays", &ov.rays}});
    ov.occupancy_resolution = o.integer("occupancy_resolution", ov.occupancy_resolution, 4, 256);
    ov.occupancy_cascade = o.integer("occupancy_cascade", ov.occupancy_cascade, 0, 16);
    o.finish();
  }
  if (f.has("appearance")) {  // NeRF-W: which training images' codes the renders use (-1: the mean)
    JsonObject a = f.object("appearance");
    AppearanceChoice& c = v.appearance;
    c.image_a = static_cast<int>(a.integer("image_a", c.image_a, -1, 1000000000));
    c.image_b = static_cast<int>(a.integer("image_b", c.image_b, -1, 1000000000));
    c.blend = read_float(a, "blend", c.blend, 0.0, 1.0);
    a.finish();
  }
  if (f.has("panels")) {
    JsonObject p = f.object("panels");
    PanelFlags& pf = v.panels;
    read_flags(p, {{"training", &pf.training},
                   {"camera", &pf.camera},
                   {"render", &pf.render},
                   {"session", &pf.session},
                   {"dataset", &pf.dataset},
                   {"inspector", &pf.inspector},
                   {"technique", &pf.technique}});
    p.finish();
  }
  f.finish();
}

void read_compare(JsonObject f, Session& s, const std::string& base_dir) {
  SessionCompare c;
  if (!f.has("request")) f.fail("request", "missing: {\"paper\": ID} or {\"compare\": PARAM=OFF}");
  c.request = read_compare_request(f.raw("request"), f.file(), f.field("request"));
  const std::string layout = f.string("layout", compare_layout_name(c.view.layout));
  if (!parse_compare_layout(layout, &c.view.layout)) f.fail("layout", "must be side-by-side, split or difference");
  c.view.split = read_float(f, "split", c.view.split, 0.0, 1.0);
  c.guided_step = f.integer("guided_step", 0, 0, 1000) - 1;
  c.step_b = f.integer("step_b", c.step_b, 0, 1000000000);
  c.snapshot_b = resolve(f.string("snapshot_b", ""), base_dir);
  f.finish();
  s.compare = c;
}

}  // namespace

Session session_from_json(const json& j, const std::string& file, const std::string& base_dir) {
  JsonObject top(j, file, "");
  Session s;
  top.integer("nerds_view_session", kSessionVersion, kSessionVersion, kSessionVersion);
  if (!top.has("scene")) top.fail("scene", "missing (at least {\"data\": DATASET_FOLDER})");
  read_scene(top.object("scene"), s, base_dir);
  if (top.has("method")) {
    JsonObject m = top.object("method");
    s.method_name = m.string("name", s.method_name);
    if (m.has("params")) {
      if (!m.raw("params").is_object()) m.fail("params", "must be an object {module: {key: value}}");
      s.params = m.raw("params");
    }
    m.finish();
  }
  if (top.has("training")) {
    JsonObject t = top.object("training");
    s.step = t.integer("step", s.step, 0, 1000000000);
    s.running = t.boolean("running", s.running);
    s.snapshot = resolve(t.string("snapshot", s.snapshot), base_dir);
    s.threads = t.integer("threads", s.threads, 0, 1024);
    t.finish();
  }
  if (top.has("camera")) read_camera(top.object("camera"), s);
  if (top.has("view")) read_view(top.object("view"), s);
  if (top.has("inspect")) {
    const json& list = top.raw("inspect");
    if (!list.is_array() || list.size() > 2) top.fail("inspect", "must be a list of at most two [u, v] points");
    for (size_t i = 0; i < list.size(); ++i) {
      const json& p = list[i];
      bool ok = p.is_array() && p.size() == 2;
      for (size_t k = 0; ok && k < 2; ++k)
        ok = p[k].is_number() && p[k].get<double>() >= 0.0 && p[k].get<double>() <= 1.0;
      if (!ok)
        top.fail("inspect[" + std::to_string(i) + "]", "must be [u, v] with both in [0, 1] (a point of the view)");
      s.inspect.push_back({p[0].get<float>(), p[1].get<float>()});
    }
  }
  if (top.has("camera_path")) s.camera_path = camera_path_from_json(top.raw("camera_path"), file, "camera_path");
  if (top.has("compare")) read_compare(top.object("compare"), s, base_dir);
  top.finish();
  return s;
}

json session_to_json(const Session& s) {
  json j;
  j["nerds_view_session"] = kSessionVersion;
  json scene = {{"data", s.data_dir}, {"downscale", s.downscale}};
  if (!s.make_scene.empty()) {
    const scenes::SceneOptions& o = s.scene_options;
    scene["make"] = s.make_scene;
    scene["resolution"] = o.resolution;
    scene["train_views"] = o.train_views;
    scene["val_views"] = o.val_views;
    scene["test_views"] = o.test_views;
    scene["samples_per_pixel"] = o.samples_per_pixel;
    scene["seed"] = static_cast<int64_t>(o.seed);
  }
  j["scene"] = scene;
  j["method"] = {{"name", s.method_name}, {"params", s.params}};
  j["training"] = {{"step", s.step}, {"running", s.running}, {"threads", s.threads}};
  if (!s.snapshot.empty()) j["training"]["snapshot"] = s.snapshot;
  if (s.camera) {
    const OrbitState& c = *s.camera;
    j["camera"] = {{"target", vec3(c.target.x, c.target.y, c.target.z)},
                   {"up", vec3(c.up.x, c.up.y, c.up.z)},
                   {"distance", number(c.distance)},
                   {"yaw_deg", number(c.yaw_deg)},
                   {"pitch_deg", number(c.pitch_deg)},
                   {"fov_deg", number(c.fov_deg)}};
    if (s.view.dataset_view.active())
      j["camera"]["dataset_view"] = {{"split", s.view.dataset_view.split}, {"index", s.view.dataset_view.index}};
  }
  const ViewSettings& v = s.view;
  const Overlays& o = v.overlays;
  const PanelFlags& p = v.panels;
  j["view"] = {{"mode", render_mode_name(v.mode)},
               {"render_scale", number(v.render_scale)},
               {"background", vec3(v.background[0], v.background[1], v.background[2])},
               {"overlays",
                {{"frustums", o.frustums},
                 {"bbox", o.bbox},
                 {"occupancy", o.occupancy},
                 {"rays", o.rays},
                 {"occupancy_resolution", o.occupancy_resolution},
                 {"occupancy_cascade", o.occupancy_cascade}}},
               {"appearance",
                {{"image_a", v.appearance.image_a}, {"image_b", v.appearance.image_b}, {"blend", number(v.appearance.blend)}}},
               {"panels",
                {{"training", p.training},
                 {"camera", p.camera},
                 {"render", p.render},
                 {"session", p.session},
                 {"dataset", p.dataset},
                 {"inspector", p.inspector},
                 {"technique", p.technique}}}};
  json inspect = json::array();
  for (const auto& uv : s.inspect) inspect.push_back({number(uv[0]), number(uv[1])});
  j["inspect"] = inspect;
  if (s.camera_path && !s.camera_path->keys.empty()) j["camera_path"] = camera_path_to_json(*s.camera_path);
  if (s.compare) {
    const SessionCompare& c = *s.compare;
    j["compare"] = {{"request", compare_request_json(c.request)},
                    {"layout", compare_layout_name(c.view.layout)},
                    {"split", number(c.view.split)},
                    {"step_b", c.step_b}};
    if (c.guided_step >= 0) j["compare"]["guided_step"] = c.guided_step + 1;
    if (!c.snapshot_b.empty()) j["compare"]["snapshot_b"] = c.snapshot_b;
  }
  return j;
}

Session read_session(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the session file");
  std::stringstream text;
  text << in.rdbuf();
  const json j = json_fields::parse_json(text.str(), path, json_fields::RepeatedKeys::refuse);
  const fs::path parent = fs::path(path).parent_path();
  return session_from_json(j, path, parent.empty() ? "." : parent.string());
}

void write_session(const std::string& path, const Session& s) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << session_to_json(s).dump(2) << "\n";
    if (!out) throw InputError(path, "", "cannot write the session file");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw InputError(path, "", "cannot write the session file: " + ec.message());
}

}  // namespace nerds::viewer
